"""Reactions: one per member per post, never on your own, never by guests, a daily cap, counts
on the topic page and a list of who reacted that pages."""

import pytest
from django.db import transaction

from folkmoot.discussions import lifecycle, notices, queries, services
from folkmoot.discussions.models import Post, Reaction
from folkmoot.refusal import NotFound, Refusal
from tests.conftest import set_limits
from tests.factories import MemberFactory, make_topic


def reply_of(topic, number=2) -> Post:
    return topic.posts.get(number=number)


def chip(html: str, label: str, count: int) -> bool:
    return f'<span class="visually-hidden">{label}</span>{count}</a>' in html


def test_a_member_reacts_with_a_plain_form_and_everyone_sees_the_count(client, member, db):
    topic = make_topic(replies=1)
    post = reply_of(topic)
    client.force_login(member)
    response = client.post(f"/p/{post.pk}/react/", {"kind": "thanks"})
    assert response.status_code == 302
    assert response.url == f"/p/{post.pk}/"
    html = client.get(topic.get_absolute_url()).text
    assert chip(html, "Thanks", 1)
    assert 'value="thanks" aria-pressed="true"' in html  # their own, marked for them
    client.logout()
    anonymous = client.get(topic.get_absolute_url()).text
    assert chip(anonymous, "Thanks", 1)
    assert 'aria-pressed="true"' not in anonymous
    assert "react-form" not in anonymous  # guests see counts, not the buttons


def test_another_kind_replaces_the_reaction_and_the_same_kind_takes_it_back(member, db):
    post = reply_of(make_topic(replies=1))
    assert services.react(post=post, member=member, kind="like") == "like"
    assert services.react(post=post, member=member, kind="haha") == "haha"
    post.refresh_from_db()
    assert post.reaction_counts == {"haha": 1}
    assert list(Reaction.objects.filter(post=post).values_list("kind", flat=True)) == ["haha"]
    assert services.react(post=post, member=member, kind="haha") is None
    post.refresh_from_db()
    assert post.reaction_counts == {}
    assert not Reaction.objects.filter(post=post).exists()


def test_counts_add_up_over_members_and_kinds(db):
    post = reply_of(make_topic(replies=1))
    for kind in ("like", "like", "sad", "confused", "like"):
        services.react(post=post, member=MemberFactory(), kind=kind)
    post.refresh_from_db()
    assert post.reaction_counts == {"like": 3, "sad": 1, "confused": 1}
    assert post.reaction_counts == {
        kind: Reaction.objects.filter(post=post, kind=kind).count()
        for kind in ("like", "sad", "confused")
    }


def test_nobody_reacts_to_their_own_post(client, db):
    topic = make_topic(replies=1)
    post = reply_of(topic)
    with pytest.raises(Refusal) as refused:
        services.react(post=post, member=post.author, kind="like")
    assert refused.value.status == 403
    client.force_login(post.author)
    assert client.post(f"/p/{post.pk}/react/", {"kind": "like"}).status_code == 403
    assert (
        "react-form"
        not in client.get(topic.get_absolute_url())
        .text.split(f'id="post-{post.number}"')[1]
        .split("</article>")[0]
    )
    assert not Reaction.objects.exists()


def test_guests_cannot_react(client, db):
    post = reply_of(make_topic(replies=1))
    response = client.post(f"/p/{post.pk}/react/", {"kind": "like"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Reaction.objects.exists()


def test_an_unknown_kind_is_refused(member, db):
    post = reply_of(make_topic(replies=1))
    with pytest.raises(Refusal):
        services.react(post=post, member=member, kind="angry")
    assert not Reaction.objects.exists()


def test_a_hidden_post_or_a_locked_topic_takes_no_reactions(member, moderator, db):
    topic = make_topic(replies=2)
    hidden = reply_of(topic, 2)
    services.delete_post(post=hidden, actor=moderator)
    with pytest.raises(NotFound):
        services.react(post=hidden, member=member, kind="like")
    with transaction.atomic():
        lifecycle.lock_topic(topic, locked=True)
    open_post = reply_of(topic, 3)
    open_post.topic.refresh_from_db()
    with pytest.raises(Refusal):
        services.react(post=open_post, member=member, kind="like")
    assert not Reaction.objects.exists()


def test_a_member_reacts_at_most_the_daily_limit(client, member, settings, db):
    set_limits(settings, REACTIONS_PER_DAY=2)
    topic = make_topic(replies=3)
    client.force_login(member)
    for number in (2, 3):
        assert (
            client.post(f"/p/{reply_of(topic, number).pk}/react/", {"kind": "like"}).status_code
            == 302
        )
    refused = client.post(
        f"/p/{reply_of(topic, 4).pk}/react/", {"kind": "like"}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 429
    assert "2 times today" in refused.json()["error"]
    assert int(refused["Retry-After"]) > 0
    # Taking one back is always allowed.
    assert client.post(f"/p/{reply_of(topic, 2).pk}/react/", {"kind": "like"}).status_code == 302
    assert Reaction.objects.count() == 1


def test_the_page_script_gets_the_posts_reactions_drawn_again(client, member, db):
    post = reply_of(make_topic(replies=1))
    client.force_login(member)
    answer = client.post(
        f"/p/{post.pk}/react/", {"kind": "sad"}, HTTP_ACCEPT="application/json"
    ).json()
    assert answer["kind"] == "sad"
    assert chip(answer["html"], "Sad", 1)
    assert 'value="sad" aria-pressed="true"' in answer["html"]


def test_who_reacted_is_a_list_that_pages(client, monkeypatch, db):
    monkeypatch.setattr(queries, "REACTIONS_PER_PAGE", 2)
    post = reply_of(make_topic(replies=1))
    members = [MemberFactory(username=f"reactor{n}") for n in range(3)]
    for member, kind in zip(members, ("like", "like", "thanks"), strict=True):
        services.react(post=post, member=member, kind=kind)
    first = client.get(f"/p/{post.pk}/reactions/").text
    assert "reactor2" in first and "reactor1" in first and "reactor0" not in first
    assert "Page 1 of 2" in first
    second = client.get(f"/p/{post.pk}/reactions/?page=2").text
    assert "reactor0" in second and "reactor2" not in second
    likes = client.get(f"/p/{post.pk}/reactions/?kind=like").text
    assert "reactor1" in likes and "reactor0" in likes and "reactor2" not in likes
    assert 'href="/u/reactor1/"' in likes


def test_reactions_to_a_post_nobody_may_see_are_not_listed(client, moderator, db):
    topic = make_topic(replies=1)
    post = reply_of(topic)
    services.react(post=post, member=MemberFactory(), kind="like")
    services.delete_post(post=post, actor=moderator)
    assert client.get(f"/p/{post.pk}/reactions/").status_code == 404


def test_the_author_is_told_of_a_new_reaction_not_of_a_change(
    monkeypatch, member, db, django_capture_on_commit_callbacks
):
    told = []
    monkeypatch.setattr(notices, "reacted", lambda **notice: told.append(notice))
    post = reply_of(make_topic(replies=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.react(post=post, member=member, kind="like")
        assert told == []  # after commit only
    with django_capture_on_commit_callbacks(execute=True):
        services.react(post=post, member=member, kind="thanks")
        services.react(post=post, member=member, kind="thanks")
    assert [(n["post"].pk, n["actor"]) for n in told] == [(post.pk, member)]
