"""The oEmbed provider (https://oembed.com/, section 2): `/oembed?url=...&format=json`
answers a "rich" card for our topics and posts, within the consumer's maxwidth and maxheight;
404 for what it has no card for (another site, an unknown page, a post the caller or the
public may not see); 501 for a format it does not speak."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from folkmoot.discussions import services
from tests.factories import MemberFactory, make_topic

SITE = "http://testserver"


def oembed(client, url: str, **params):
    return client.get("/oembed?" + urlencode({"url": url, **params}))


@pytest.fixture
def topic(db):
    return make_topic(author=MemberFactory(username="ada"), title="Bridges", replies=2)


def test_a_topic_url_answers_a_rich_json_card_of_its_first_post(client, topic):
    response = oembed(client, SITE + topic.get_absolute_url(), format="json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    # 2.3.4: version and type always; rich needs html, width and height.
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert isinstance(data["width"], int) and isinstance(data["height"], int)
    assert data["width"] > 0 and data["height"] > 0
    assert data["title"] == "Bridges"
    assert data["author_name"] == "ada" and data["author_url"] == f"{SITE}/u/ada/"
    assert data["provider_url"] == f"{SITE}/"
    assert "The first post of the topic." in data["html"]
    assert f'href="{SITE}{topic.get_absolute_url()}"' in data["html"]
    assert isinstance(data["cache_age"], int)


def test_format_defaults_to_json(client, topic):
    response = oembed(client, SITE + topic.get_absolute_url())
    assert response.status_code == 200 and response.json()["type"] == "rich"


def test_a_permalink_or_a_post_anchor_answers_that_posts_card(client, topic):
    reply = topic.posts.get(number=3)
    by_permalink = oembed(client, f"{SITE}/p/{reply.pk}/").json()
    by_anchor = oembed(client, f"{SITE}{topic.get_absolute_url()}#post-3").json()
    assert by_permalink == by_anchor
    assert "Reply number 2" in by_permalink["html"]
    assert by_permalink["title"] == "Bridges (post #3)"
    assert f'href="{SITE}/p/{reply.pk}/"' in by_permalink["html"]


def test_the_card_stays_within_maxwidth_and_maxheight(client, topic):
    url = SITE + topic.get_absolute_url()
    default = oembed(client, url).json()
    assert default["width"] == 550
    narrow = oembed(client, url, maxwidth=300).json()
    assert narrow["width"] == 300 and narrow["height"] >= default["height"]
    wide = oembed(client, url, maxwidth=2000).json()
    assert wide["width"] == 550  # maxwidth is a bound, not a request
    short = oembed(client, url, maxwidth=300, maxheight=50).json()
    assert short["width"] <= 300 and short["height"] <= 50


@pytest.mark.parametrize("value", ["0", "-5", "wide", "1e3", "99999999"])
def test_a_malformed_maxwidth_is_a_bad_request(client, topic, value):
    response = oembed(client, SITE + topic.get_absolute_url(), maxwidth=value)
    assert response.status_code == 400
    assert "positive whole numbers" in response.text


def test_xml_is_not_implemented(client, topic):
    response = oembed(client, SITE + topic.get_absolute_url(), format="xml")
    assert response.status_code == 501


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "https://elsewhere.example/t/1-bridges/",  # another site
        "ftp://testserver/t/1-bridges/",
        f"{SITE}/",  # a page of ours with no card
        f"{SITE}/search/?q=bridges",
        f"{SITE}/t/999999-nothing/",
        f"{SITE}/p/999999/",
    ],
)
def test_urls_without_a_card_are_not_found(client, topic, url):
    response = oembed(client, url)
    assert response.status_code == (400 if url == "" else 404)


def test_posts_the_caller_may_not_see_are_not_found(client, topic, moderator):
    hidden = topic.posts.get(number=2)
    services.hide_post(post=hidden, actor=moderator, reason="Spam")
    assert oembed(client, f"{SITE}/p/{hidden.pk}/").status_code == 404
    assert oembed(client, f"{SITE}{topic.get_absolute_url()}#post-2").status_code == 404
    # A moderator sees it on the site, but a card goes to other sites' readers: none either.
    client.force_login(moderator)
    assert oembed(client, f"{SITE}/p/{hidden.pk}/").status_code == 404


def test_a_topic_awaiting_approval_or_deleted_has_no_card(client, topic, moderator):
    services.delete_post(post=topic.posts.get(number=1), actor=moderator)
    assert oembed(client, SITE + topic.get_absolute_url()).status_code == 404
    reply = topic.posts.get(number=2)
    assert oembed(client, f"{SITE}/p/{reply.pk}/").status_code == 404


def test_hostile_text_is_escaped_in_the_cards_html(client, member):
    topic = make_topic(author=member, title='<img src=x onerror="alert(1)">')
    reply = services.reply(
        topic=topic, author=MemberFactory(), body="<script>alert(2)</script> **bold** & more"
    )
    html = oembed(client, f"{SITE}/p/{reply.pk}/").json()["html"]
    assert "<script" not in html and "<img" not in html and "onerror" not in html.split("&")[0]
    assert "&lt;img src=x onerror=" in html
    assert html.startswith('<blockquote class="folkmoot-embed"')


def test_public_cards_are_cacheable_by_anyone(client, topic):
    response = oembed(client, SITE + topic.get_absolute_url())
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_card_costs_one_query_whatever_the_topic(client, topic):
    long = make_topic(replies=30)
    counts = set()
    for url in (SITE + topic.get_absolute_url(), f"{SITE}{long.get_absolute_url()}#post-30"):
        with CaptureQueriesContext(connection) as queries:
            assert oembed(client, url).status_code == 200
        counts.add(len(queries))
    # 1 the post with its topic, category and author.
    assert counts == {1}
