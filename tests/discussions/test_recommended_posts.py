"""Recommended posts: moderators of the category recommend a post with a note; the block
shows above the posts on every page of the topic; either place removes it."""

import re

import pytest
from django.conf import settings

from folkmoot.discussions import notices, services
from folkmoot.discussions.models import Recommendation
from folkmoot.refusal import NotFound
from tests.factories import CategoryFactory, MemberFactory, make_topic


@pytest.fixture
def long_topic(db):
    return make_topic(replies=settings.FOLKMOOT["POSTS_PER_PAGE"] + 2)


def block_of(html: str) -> str:
    match = re.search(r'<section class="recommended-posts".*?</section>', html, re.S)
    return match[0] if match else ""


def test_a_moderator_recommends_a_post_and_every_page_shows_the_block(client, long_topic):
    moderator = MemberFactory(is_staff=True, username="modmaria")
    post = long_topic.posts.get(number=3)
    client.force_login(moderator)
    response = client.post(f"/p/{post.pk}/recommend/", {"note": "The  clearest   summary"})
    assert response.status_code == 302 and response.url == f"/p/{post.pk}/"
    client.logout()
    for page in ("", "?page=2"):
        html = client.get(long_topic.get_absolute_url() + page).text
        block = block_of(html)
        assert "Recommended Posts" in block
        assert post.author.username in block
        assert "Reply number 2" in block  # the excerpt
        assert "Recommended by modmaria" in block
        assert "The clearest summary" in block
        assert f'<a href="/p/{post.pk}/">Go to this post</a>' in block
        assert html.index("recommended-posts") < html.index('class="posts"')
    page_one = client.get(long_topic.get_absolute_url()).text
    article = page_one.split('id="post-3"')[1].split("</article>")[0]
    assert "Recommended</span>" in article
    assert "Recommended</span>" not in page_one.split('id="post-4"')[1].split("</article>")[0]


def test_the_block_lists_the_newest_recommendation_first(client, long_topic):
    moderator = MemberFactory(is_staff=True)
    for number in (2, 5, 4):
        post = long_topic.posts.get(number=number)
        services.recommend_post(post=post, moderator=moderator)
    block = block_of(client.get(long_topic.get_absolute_url()).text)
    assert re.findall(r"· #(\d+)", block) == ["4", "5", "2"]


def test_members_and_moderators_of_other_categories_cannot_recommend(client, db):
    category, elsewhere = CategoryFactory(), CategoryFactory()
    outsider = MemberFactory()
    elsewhere.moderators.add(outsider)
    topic = make_topic(category=category, replies=1)
    post = topic.posts.get(number=2)
    for person in (MemberFactory(), outsider, post.author):
        with pytest.raises(NotFound):
            services.recommend_post(post=post, moderator=person)
        client.force_login(person)
        assert client.post(f"/p/{post.pk}/recommend/", {"note": ""}).status_code == 404
        assert "Recommend this post" not in client.get(topic.get_absolute_url()).text
    assert not Recommendation.objects.exists()
    category_moderator = MemberFactory()
    category.moderators.add(category_moderator)
    assert services.recommend_post(post=post, moderator=category_moderator)
    assert not services.recommend_post(post=post, moderator=category_moderator)  # once


def test_a_moderator_removes_it_from_the_block_or_from_the_post(client, long_topic):
    moderator = MemberFactory(is_staff=True)
    first, second = long_topic.posts.get(number=2), long_topic.posts.get(number=3)
    for post in (first, second):
        services.recommend_post(post=post, moderator=moderator)
    client.force_login(moderator)
    html = client.get(long_topic.get_absolute_url()).text
    assert block_of(html).count(f'action="/p/{first.pk}/unrecommend/"') == 1
    assert html.count(f'action="/p/{first.pk}/unrecommend/"') == 2  # block and post
    assert client.post(f"/p/{first.pk}/unrecommend/").status_code == 302
    client.post(f"/p/{second.pk}/unrecommend/")
    long_topic.refresh_from_db()
    assert long_topic.recommendation_count == 0
    assert "Recommended Posts" not in client.get(long_topic.get_absolute_url()).text
    member = MemberFactory()
    services.recommend_post(post=first, moderator=moderator)
    with pytest.raises(NotFound):
        services.remove_recommendation(post=first, moderator=member)


def test_a_hidden_post_leaves_the_block(client, long_topic):
    moderator = MemberFactory(is_staff=True)
    post = long_topic.posts.get(number=2)
    services.recommend_post(post=post, moderator=moderator)
    services.delete_post(post=post, actor=moderator)
    assert "Recommended Posts" not in client.get(long_topic.get_absolute_url()).text


def test_a_note_too_long_is_refused(client, long_topic):
    moderator = MemberFactory(is_staff=True)
    post = long_topic.posts.get(number=2)
    client.force_login(moderator)
    client.post(f"/p/{post.pk}/recommend/", {"note": "x" * 301})
    assert not Recommendation.objects.exists()
    assert "300 characters" in client.get(long_topic.get_absolute_url()).text


def test_notes_are_escaped(client, long_topic):
    moderator = MemberFactory(is_staff=True)
    post = long_topic.posts.get(number=2)
    services.recommend_post(post=post, moderator=moderator, note="<script>alert(1)</script>")
    html = client.get(long_topic.get_absolute_url()).text
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_author_is_told_of_the_recommendation(
    monkeypatch, long_topic, django_capture_on_commit_callbacks
):
    told = []
    monkeypatch.setattr(notices, "recommended", lambda **notice: told.append(notice))
    moderator = MemberFactory(is_staff=True)
    post = long_topic.posts.get(number=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.recommend_post(post=post, moderator=moderator, note="Well put")
    assert [(n["post"].pk, n["actor"], n["note"]) for n in told] == [
        (post.pk, moderator, "Well put")
    ]
