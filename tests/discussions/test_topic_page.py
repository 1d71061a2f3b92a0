import re

from django.conf import settings
from django.test import override_settings

from tests.factories import make_topic

PER_PAGE = settings.FOLKMOOT["POSTS_PER_PAGE"]


def test_topic_page_shows_posts_with_author_date_and_share_link(client, topic, member):
    page = client.get(f"/t/{topic.pk}-{topic.slug}/")
    assert page.status_code == 200
    html = page.text
    first_post = topic.posts.get(number=1)
    assert topic.title in html
    assert "The first post of the topic." in html
    assert member.username in html
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', html)
    # Each post's controls name their post, for a screen reader listing the page's buttons.
    assert f'aria-label="Share post 1 by {member.display_name}"' in html
    assert "Link to post" in html
    # The first post shares the topic; each reply its own permalink.
    assert f'value="http://testserver{topic.get_absolute_url()}"' in html
    assert f'value="http://testserver/p/{first_post.pk}/"' not in html
    assert "Join the conversation" in html


def test_members_see_the_reply_box_prompt(member_client, topic):
    html = member_client.get(f"/t/{topic.pk}-{topic.slug}/").text
    assert 'placeholder="Reply to this topic..."' in html


def test_a_wrong_slug_redirects_permanently_to_the_canonical_url(client, topic):
    response = client.get(f"/t/{topic.pk}-not-the-title/")
    assert response.status_code == 301
    assert response.url == f"/t/{topic.pk}-{topic.slug}/"
    assert client.get(f"/t/{topic.pk}/").url == f"/t/{topic.pk}-{topic.slug}/"


def test_a_missing_topic_is_404(client, db):
    assert client.get("/t/999999-nothing/").status_code == 404


def test_pages_split_at_the_configured_size(client, db):
    topic = make_topic(replies=PER_PAGE)  # one more post than fits a page
    url = f"/t/{topic.pk}-{topic.slug}/"
    first = client.get(url).text
    second = client.get(url + "?page=2").text
    assert 'id="post-1"' in first and f'id="post-{PER_PAGE}"' in first
    assert f'id="post-{PER_PAGE + 1}"' not in first
    assert f'id="post-{PER_PAGE + 1}"' in second
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_a_page_past_the_end_shows_the_last_page_and_junk_is_404(client, topic):
    url = f"/t/{topic.pk}-{topic.slug}/"
    past_end = client.get(url + "?page=50")
    assert past_end.status_code == 200
    assert 'id="post-1"' in past_end.text
    assert client.get(url + "?page=abc").status_code == 404
    assert client.get(url + "?page=-1").status_code == 404


@override_settings(FOLKMOOT={**settings.FOLKMOOT, "POSTS_PER_PAGE": 2})
def test_a_setting_changes_the_page_size(client, db):
    topic = make_topic(replies=2)
    second = client.get(f"/t/{topic.pk}-{topic.slug}/?page=2").text
    assert 'id="post-3"' in second and 'id="post-1"' not in second


def test_category_page_lists_pinned_topics_first_then_by_activity(client, category):
    old = make_topic(category=category, title="Old topic")
    pinned = make_topic(category=category, title="Pinned topic")
    pinned.is_pinned = True
    pinned.save()
    recent = make_topic(category=category, title="Recent topic")
    html = client.get(f"/c/{category.pk}-{category.slug}/").text
    positions = [html.index(t.title) for t in (pinned, recent, old)]
    assert positions == sorted(positions)


def test_index_lists_categories_with_counts_and_latest_post(client, category):
    make_topic(category=category, title="Latest talk", replies=2)
    html = client.get("/").text
    assert category.name in html
    assert "<strong>1</strong> topic" in html
    assert "<strong>3</strong> posts" in html
    assert "Latest talk" in html
