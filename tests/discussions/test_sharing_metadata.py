"""Our links look right elsewhere: Open Graph and Twitter card tags on topic pages and on
permalinks (for link-preview fetchers), and schema.org DiscussionForumPosting JSON-LD carrying
what Google documents as required for forum results, built only from what anyone may see."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from folkmoot.discussions import services
from tests.factories import CategoryFactory, MemberFactory, make_topic

FACEBOOK = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"


class HeadReader(HTMLParser):
    """The page as a browser's parser sees it: meta tags, links, and the text of each
    JSON-LD script element (ended where the HTML parser ends it, not where JSON would)."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def read(html: str) -> HeadReader:
    reader = HeadReader()
    reader.feed(html)
    return reader


def forum_posting(html: str) -> dict:
    reader = read(html)
    assert len(reader.json_ld) == 1, reader.json_ld
    return json.loads(reader.json_ld[0])


def assert_google_forum_requirements(posting: dict) -> None:
    """developers.google.com/search/docs/appearance/structured-data/discussion-forum: a
    DiscussionForumPosting and each Comment need author.name, datePublished, and text (or an
    image or video); url, headline and interactionStatistic are recommended."""
    assert posting["@context"] == "https://schema.org"
    assert posting["@type"] == "DiscussionForumPosting"
    for item in [posting, *posting.get("comment", [])]:
        assert item["author"]["name"]
        assert re.match(r"\d{4}-\d\d-\d\dT", item["datePublished"])
        assert item.get("text") or item.get("image") or item.get("video")
    assert posting["headline"] and posting["url"].startswith("http")


@pytest.fixture
def shared_topic(db):
    author = MemberFactory(username="ada")
    topic = make_topic(author=author, title="Bridges of Königsberg", replies=2)
    return topic


def test_a_topic_page_carries_open_graph_and_twitter_tags(client, shared_topic):
    html = client.get(shared_topic.get_absolute_url()).text
    meta = read(html).meta
    url = f"http://testserver{shared_topic.get_absolute_url()}"
    assert meta["og:title"] == meta["twitter:title"] == "Bridges of Königsberg"
    assert meta["og:description"] == meta["description"] == "The first post of the topic."
    assert meta["og:url"] == url
    assert meta["og:site_name"] == settings.SITE_NAME
    assert meta["og:type"] == "article"
    assert meta["twitter:card"] == "summary"  # no picture in the post
    assert "og:image" not in meta


def test_a_post_with_a_picture_shares_it_as_the_card_image(client, member):
    topic = make_topic(author=member)
    first = topic.posts.get(number=1)
    first.cooked = '<p>Look:</p><p><img src="/media/uploads/ab/cat.webp" alt="a cat"></p>'
    first.save(update_fields=["cooked"])
    meta = read(client.get(topic.get_absolute_url()).text).meta
    assert meta["og:image"] == "http://testserver/media/uploads/ab/cat.webp"
    assert meta["twitter:image"] == meta["og:image"]
    assert meta["twitter:card"] == "summary_large_image"


def test_the_json_ld_is_a_forum_posting_with_the_replies_on_the_page(client, shared_topic):
    replies = list(shared_topic.posts.filter(number__gt=1).order_by("number"))
    reactor = MemberFactory()
    services.react(post=replies[0], member=reactor, kind="like")
    posting = forum_posting(client.get(shared_topic.get_absolute_url()).text)
    assert_google_forum_requirements(posting)
    assert posting["headline"] == "Bridges of Königsberg"
    assert posting["text"] == "The first post of the topic."
    assert posting["author"] == {
        "@type": "Person",
        "name": "ada",
        "url": "http://testserver/u/ada/",
    }
    counters = {
        counter["interactionType"]: counter["userInteractionCount"]
        for counter in posting["interactionStatistic"]
    }
    assert counters == {"https://schema.org/CommentAction": 2, "https://schema.org/LikeAction": 0}
    comments = posting["comment"]
    assert [c["text"] for c in comments] == ["Reply number 1", "Reply number 2"]
    assert comments[0]["url"] == f"http://testserver/p/{replies[0].pk}/"
    assert comments[0]["interactionStatistic"]["userInteractionCount"] == 1
    assert comments[1]["author"]["name"] == replies[1].author.username


def test_a_later_page_repeats_the_original_post_with_the_first_pages_url(client, db, settings):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "POSTS_PER_PAGE": 2}
    topic = make_topic(replies=4)  # pages: #1 #2 | #3 #4 | #5
    html = client.get(topic.get_absolute_url() + "?page=2").text
    posting = forum_posting(html)
    assert_google_forum_requirements(posting)
    assert posting["url"] == f"http://testserver{topic.get_absolute_url()}"
    assert posting["mainEntityOfPage"].endswith("?page=2")
    assert posting["text"] == "The first post of the topic."
    assert [c["text"] for c in posting["comment"]] == ["Reply number 2", "Reply number 3"]
    # The opening post is described, not shown: page 2 lists only its own posts.
    assert 'id="post-1"' not in html and 'id="post-3"' in html and 'id="post-4"' in html


def test_hostile_text_cannot_break_out_of_the_json_ld(client, member):
    hostile = 'Evil </script><script>alert(1)</script> <!-- and "quotes" & </SCRIPT >'
    topic = make_topic(author=member, title="</script><!-- title")
    services.reply(topic=topic, author=MemberFactory(), body=hostile)
    html = client.get(topic.get_absolute_url()).text
    reader = read(html)
    # The HTML parser saw exactly one JSON-LD element, and it holds valid JSON.
    posting = forum_posting(html)
    assert posting["headline"] == "</script><!-- title"
    assert "</script><script>alert(1)</script>" in posting["comment"][0]["text"]
    script = reader.json_ld[0]
    assert "<" not in script and ">" not in script
    assert "alert(1)" not in html.replace(script, "").split("<body")[0]


def test_hidden_posts_stay_out_of_a_moderators_json_ld(client, moderator):
    topic = make_topic(replies=2)
    hidden = topic.posts.get(number=2)
    services.hide_post(post=hidden, actor=moderator, reason="Off topic")
    client.force_login(moderator)
    html = client.get(topic.get_absolute_url()).text
    assert 'id="post-2"' in html  # the moderator sees it in its place
    posting = forum_posting(html)
    assert [c["text"] for c in posting["comment"]] == ["Reply number 2"]


def test_a_hidden_topic_has_no_sharing_tags_even_for_its_moderator(client, moderator):
    topic = make_topic(replies=1)
    services.delete_post(post=topic.posts.get(number=1), actor=moderator)
    client.force_login(moderator)
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    reader = read(response.text)
    assert reader.json_ld == [] and "og:title" not in reader.meta


def test_sharing_tags_cost_the_topic_page_no_query(client, db, settings):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "POSTS_PER_PAGE": 3}
    topic = make_topic(replies=8)
    for page in ("", "?page=2", "?page=3"):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(topic.get_absolute_url() + page).text
        # 1 topic with category, 2 the page's posts with authors, as without the tags; on
        # later pages 3 the opening post the tags describe (not on the page itself).
        assert len(queries) == (3 if page else 2), page
        assert forum_posting(html)["headline"] == topic.title


def test_the_anonymous_page_cache_keeps_the_tags(client, db, settings, empty_cache):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "PAGE_CACHE_SECONDS": 300}
    topic = make_topic(replies=1)
    first = client.get(topic.get_absolute_url()).text
    with CaptureQueriesContext(connection) as queries:
        again = client.get(topic.get_absolute_url()).text
    assert len(queries) == 0  # served from the page cache
    assert forum_posting(again) == forum_posting(first)
    assert read(again).meta["og:title"] == topic.title


def test_a_permalink_gives_link_previews_the_posts_own_card(client, shared_topic):
    reply = shared_topic.posts.get(number=2)
    response = client.get(f"/p/{reply.pk}/", HTTP_USER_AGENT=FACEBOOK)
    assert response.status_code == 200
    meta = read(response.text).meta
    assert meta["og:url"] == f"http://testserver/p/{reply.pk}/"
    assert meta["og:description"] == "Reply number 1"
    assert meta["og:title"].startswith("Bridges of Königsberg (post #2 by ")
    assert f'href="{shared_topic.get_absolute_url()}#post-2"' in response.text
    # People's browsers still go straight to the post on its page.
    browser = client.get(f"/p/{reply.pk}/", HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0")
    assert browser.status_code == 302
    assert browser.url == f"{shared_topic.get_absolute_url()}#post-2"


def test_a_permalink_to_a_hidden_post_shows_no_card_to_link_previews(client, moderator):
    topic = make_topic(replies=1)
    reply = topic.posts.get(number=2)
    services.hide_post(post=reply, actor=moderator, reason="Spam")
    assert client.get(f"/p/{reply.pk}/", HTTP_USER_AGENT=FACEBOOK).status_code == 404
    client.force_login(moderator)  # even a moderator's preview fetch only redirects
    response = client.get(f"/p/{reply.pk}/", HTTP_USER_AGENT=FACEBOOK)
    assert response.status_code == 302


def test_topic_pages_and_permalink_cards_link_to_their_oembed(client, shared_topic):
    reply = shared_topic.posts.get(number=2)
    for url, shared in (
        (shared_topic.get_absolute_url(), f"http://testserver{shared_topic.get_absolute_url()}"),
        (f"/p/{reply.pk}/", f"http://testserver/p/{reply.pk}/"),
    ):
        links = read(client.get(url, HTTP_USER_AGENT=FACEBOOK).text).links
        oembed = [link for link in links if link.get("type") == "application/json+oembed"]
        assert len(oembed) == 1 and oembed[0]["rel"] == "alternate"
        answer = client.get(oembed[0]["href"].removeprefix("http://testserver"))
        assert answer.status_code == 200
        assert shared in answer.json()["html"]


def test_the_category_name_is_escaped_in_the_json_ld(client, db):
    # Nothing in a topic's tags depends on the category beyond its name.
    topic = make_topic(category=CategoryFactory(name="Maths & <b>logic</b>"))
    posting = forum_posting(client.get(topic.get_absolute_url()).text)
    assert posting["articleSection"] == "Maths & <b>logic</b>"


@pytest.mark.parametrize(
    "agent",
    [
        "Twitterbot/1.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "http.rb/5.1.1 (Mastodon/4.2.0; +https://mastodon.social/)",
        "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    ],
)
def test_the_common_link_preview_fetchers_get_the_card(client, shared_topic, agent):
    reply = shared_topic.posts.get(number=2)
    response = client.get(f"/p/{reply.pk}/", HTTP_USER_AGENT=agent)
    assert response.status_code == 200
    assert read(response.text).meta["og:description"] == "Reply number 1"


def test_hostile_text_stays_text_in_the_tags(client, member):
    title = '"><script>alert(1)</script>'
    topic = make_topic(author=member, title=title)
    reply = services.reply(topic=topic, author=MemberFactory(), body='x" onload="alert(2) <b>')
    page = client.get(topic.get_absolute_url()).text
    assert "<script>alert(1)" not in page
    assert read(page).meta["og:title"] == title  # whole, inside its attribute
    card = client.get(f"/p/{reply.pk}/", HTTP_USER_AGENT=FACEBOOK).text
    assert "<script>alert(1)" not in card
    meta = read(card).meta
    assert meta["og:title"].startswith(title)
    assert meta["og:description"] == 'x" onload="alert(2) <b>'  # text, not an attribute


def test_the_description_is_the_posts_text_with_its_paragraphs_apart(client, member):
    topic = make_topic(author=member)
    services.edit_post(
        post=topic.posts.get(number=1),
        editor=member,
        body="First *paragraph* & <stuff>.\n\nSecond one:\n\n- a\n- b",
    )
    meta = read(client.get(topic.get_absolute_url()).text).meta
    assert meta["og:description"] == "First paragraph & <stuff>. Second one: a b"


def test_long_posts_are_cut_to_an_excerpt(client, member):
    topic = make_topic(author=member)
    services.edit_post(post=topic.posts.get(number=1), editor=member, body="word " * 600)
    html = client.get(topic.get_absolute_url()).text
    assert len(forum_posting(html)["text"]) <= 1000
    assert forum_posting(html)["text"].endswith("…")
    assert len(read(html).meta["og:description"]) <= 200


def test_each_authors_json_ld_address_is_their_profile_page_whatever_their_name(client, db):
    # Profile addresses are made from one reverse() for the page: a name with letters beyond
    # ASCII and the punctuation usernames allow must come out as reverse() makes it.
    names = ["jörg.o+x@y-z_", "Zoë", "plain"]
    topic = make_topic(author=MemberFactory(username=names[0]))
    for name in names[1:]:
        services.reply(topic=topic, author=MemberFactory(username=name), body="Hello there")
    posting = forum_posting(client.get(topic.get_absolute_url()).text)
    addresses = [posting["author"]["url"]] + [
        reply["author"]["url"] for reply in posting["comment"]
    ]
    assert addresses == [f"http://testserver{reverse('profile', args=[name])}" for name in names]
    for address in addresses:
        assert client.get(address.removeprefix("http://testserver")).status_code == 200
