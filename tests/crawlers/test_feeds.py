"""RSS and Atom feeds of the site, a category and a topic: valid, public content only, linked
from the pages, and a fixed number of queries however many items."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from folkmoot.discussions import services
from folkmoot.discussions.models import Post
from tests.factories import CategoryFactory, MemberFactory, make_topic

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(response) -> list[dict]:
    """The RSS 2.0 document's items, after checking the elements RSS requires."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required), required
    items = []
    for item in channel.findall("item"):
        assert item.findtext("title") and item.findtext("link").startswith("http://testserver/")
        items.append({child.tag: child.text for child in item})
    return items


def atom_entries(response) -> list[dict]:
    """The Atom document's entries, after checking the elements Atom requires."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.findtext(f"{ATOM}{required}"), required
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), required
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith("http://testserver/")
        entries.append(
            {
                "title": entry.findtext(f"{ATOM}title"),
                "link": link,
                "summary": entry.findtext(f"{ATOM}summary") or "",
            }
        )
    return entries


@pytest.fixture
def forum(db):
    """A category with a public topic, a deleted topic, a topic whose first post awaits
    approval, and public, pending and deleted replies."""
    category = CategoryFactory(name="Gardening")
    public = make_topic(category=category, title="Tomatoes in pots", replies=1)
    reply = services.reply(topic=public, author=MemberFactory(), body="Pending words here")
    Post.objects.filter(pk=reply.pk).update(status=Post.Status.PENDING)
    gone = services.reply(topic=public, author=MemberFactory(), body="Deleted words here")
    Post.objects.filter(pk=gone.pk).update(status=Post.Status.DELETED)
    deleted = make_topic(category=category, title="Deleted topic title")
    deleted.is_deleted = True
    deleted.save()
    held = make_topic(category=category, title="Held topic title")
    held.posts.update(status=Post.Status.PENDING)
    held.post_count = 0
    held.save()
    public.refresh_from_db()
    return category, public, deleted, held


def test_the_site_feeds_list_public_topics_only(client, forum):
    category, public, deleted, held = forum
    for items in (rss_items(client.get("/feed.rss")), atom_entries(client.get("/feed.atom"))):
        titles = [item["title"] for item in items]
        assert titles == ["Tomatoes in pots"]
        assert items[0]["link"] == f"http://testserver{public.get_absolute_url()}"


def test_a_category_feed_lists_its_public_topics_with_their_first_post(client, forum):
    category, public, *_ = forum
    other = make_topic(category=CategoryFactory(), title="Elsewhere")
    url = category.get_absolute_url()
    rss = rss_items(client.get(url + "feed.rss"))
    atom = atom_entries(client.get(url + "feed.atom"))
    assert [i["title"] for i in rss] == [i["title"] for i in atom] == ["Tomatoes in pots"]
    assert "The first post of the topic." in rss[0]["description"]
    assert other.title not in client.get(url + "feed.rss").text


def test_a_topic_feed_lists_published_posts_only(client, forum):
    _, public, deleted, held = forum
    url = public.get_absolute_url()
    for response in (client.get(url + "feed.rss"), client.get(url + "feed.atom")):
        text = response.text
        assert "Reply number 1" in text and "The first post of the topic." in text
        assert "Pending words" not in text and "Deleted words" not in text
    assert len(rss_items(client.get(url + "feed.rss"))) == 2
    assert len(atom_entries(client.get(url + "feed.atom"))) == 2
    # Deleted topics and topics awaiting approval have no feed, even for their author.
    for hidden in (deleted, held):
        hidden_url = hidden.get_absolute_url()
        assert client.get(hidden_url + "feed.rss").status_code == 404
        client.force_login(hidden.author)
        assert client.get(hidden_url + "feed.atom").status_code == 404
        client.logout()


def test_pages_link_their_feeds(client, forum):
    category, public, *_ = forum
    index = client.get("/").text
    assert 'type="application/rss+xml"' in index and 'href="/feed.rss"' in index
    assert 'href="/feed.atom"' in index
    assert (
        f'href="{category.get_absolute_url()}feed.atom"'
        in client.get(category.get_absolute_url()).text
    )
    topic_page = client.get(public.get_absolute_url()).text
    assert f'href="{public.get_absolute_url()}feed.rss"' in topic_page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_feeds_cost_the_same_queries_however_many_items(client, db):
    category = CategoryFactory()
    topic = make_topic(category=category, replies=1)
    urls = [
        "/feed.rss",
        "/feed.atom",
        category.get_absolute_url() + "feed.rss",
        topic.get_absolute_url() + "feed.atom",
    ]
    _queries(client, urls[0])  # the Sites record, cached from here on
    few = [_queries(client, url) for url in urls]
    for _ in range(4):
        make_topic(category=category, replies=0)
    for n in range(5):
        services.reply(topic=topic, author=MemberFactory(), body=f"More words {n}")
    many = [_queries(client, url) for url in urls]
    assert few == many
    # Site feed: the topics with their first posts. Category: the category, then that.
    # Topic: the topic, then its posts with their authors.
    assert many == [1, 1, 2, 2]
