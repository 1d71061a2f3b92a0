"""The fresh topic page's shared parts: the layout's markup rendered once a language
({% stamp %}), addresses reversed once (url_memo), the JSON-LD's texts made once a post.
Each reader still gets their own language, links, page numbers and the posts' current text."""

import json
import re

from django.template import Context, Template
from django.urls import set_script_prefix

from folkmoot.discussions import services
from folkmoot.url_memo import memo_reverse
from tests.factories import MemberFactory, make_topic


def _json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])


def test_the_layout_follows_each_readers_language_in_turn(client, db):
    topic = make_topic()
    url = topic.get_absolute_url()
    for language, skip_link, theme in [
        ("en", "Skip to content", "Dark theme"),
        ("de", "Zum Inhalt springen", "Dunkles Design"),
        ("en", "Skip to content", "Dark theme"),
    ]:
        client.cookies["language"] = language
        html = client.get(url).text
        assert f'<html lang="{language}"' in html
        assert f">{skip_link}</a>" in html and f">{theme}</span>" in html
        assert re.search(rf'<script src="/jsi18n/\w+/{language}\.js"', html)


def test_the_footers_language_link_keeps_each_pages_own_address(client, db):
    first, second = make_topic(title="The first one"), make_topic(title="The second one")
    for topic in (first, second, first):
        html = client.get(topic.get_absolute_url()).text
        link = re.search(r'<a class="language-link" href="([^"]+)"', html)[1]
        assert link == "/language/?next=" + topic.get_absolute_url()


def test_members_scripts_are_not_handed_to_anonymous_readers_after_a_member(client, db):
    topic = make_topic()
    url = topic.get_absolute_url()
    client.force_login(MemberFactory())
    assert "live-bell.js" in client.get(url).text
    client.logout()
    html = client.get(url).text
    assert "live-bell.js" not in html
    assert "composer-loader.js" in html  # guests may reply here: the composer is offered


def test_each_page_of_a_topic_shows_its_own_place_in_the_pager(client, db, settings):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "POSTS_PER_PAGE": 2}
    topic = make_topic(replies=4)  # three pages
    for number in (1, 2, 3, 2):
        html = client.get(topic.get_absolute_url(), {"page": number}).text
        assert html.count(f'<span aria-current="page">{number}</span>') == 2  # top and bottom
        assert ('rel="prev"' in html) == (number > 1)
        assert ('rel="next"' in html) == (number < 3)
        assert 'aria-label="Topic pages, top"' in html
        assert 'aria-label="Topic pages, bottom"' in html


def test_the_json_ld_shows_a_posts_text_as_edited(client, db):
    author = MemberFactory()
    topic = make_topic(author=author)
    url = topic.get_absolute_url()
    assert _json_ld(client.get(url).text)["text"] == "The first post of the topic."
    services.edit_post(post=topic.posts.get(number=1), editor=author, body="Now <it> says this.")
    assert _json_ld(client.get(url).text)["text"] == "Now <it> says this."


def test_remembered_addresses_follow_the_script_prefix(db):
    try:
        set_script_prefix("/forum/")
        assert memo_reverse("search") == "/forum/search/"
        set_script_prefix("/")
        assert memo_reverse("search") == "/search/"
    finally:
        set_script_prefix("/")


def test_remembered_addresses_are_escaped_where_the_template_shows_them(db):
    template = Template("{% url 'profile' name %}|{% url 'profile' name as link %}{{ link }}")
    for name in ("a&b", "plain"):
        shown = template.render(Context({"name": name}))
        assert shown == f"/u/{name.replace('&', '&amp;')}/|/u/{name.replace('&', '&amp;')}/"
