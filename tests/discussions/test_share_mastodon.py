"""Sharing on Mastodon: the share menu links to our page that asks for the reader's server,
which then offers a link (never a redirect) to that server's share page, for our own pages
only."""

import html
import re
from urllib.parse import urlencode

import pytest

from tests.factories import make_topic
from tests.security.test_content_security_policy import assert_strict

PAGE = "/share/mastodon/"


def share_page(client, *, url="http://testserver/p/1/", text="Longships & sails", **more):
    return client.get(PAGE + "?" + urlencode({"url": url, "text": text, **more}))


def continue_link(page_html: str) -> re.Match | None:
    return re.search(r'<a class="button" href="([^"]+)" rel="([^"]+)">Continue to ([^<]+)</a>',
                     page_html)  # fmt: skip


def test_the_topics_share_menu_links_to_the_mastodon_page(client, db):
    topic = make_topic(title="Longships & sails")
    page_html = client.get(topic.get_absolute_url()).text
    link = re.search(r'<a href="(/share/mastodon/\?[^"]+)" rel="nofollow">Mastodon</a>', page_html)
    assert link
    response = client.get(html.unescape(link.group(1)))
    assert response.status_code == 200
    assert "Your Mastodon server" in response.text
    assert f'name="url" value="http://testserver{topic.get_absolute_url()}' in response.text


def test_a_valid_server_gives_a_link_to_its_share_page_with_the_text_encoded(client, db):
    response = share_page(client, instance="  Mastodon.Social ")
    assert response.status_code == 200
    link = continue_link(response.text)
    assert link, response.text
    assert html.unescape(link.group(1)) == (
        "https://mastodon.social/share?text=Longships%20%26%20sails%20http%3A%2F%2Ftestserver%2Fp%2F1%2F"
    )
    assert link.group(2) == "noopener noreferrer"
    assert link.group(3) == "mastodon.social"
    assert "Location" not in response.headers  # a link to follow, not a redirect


def test_a_server_with_a_port_and_a_relative_url_of_ours_are_accepted(client, db):
    response = share_page(client, url="/t/4-longships/", instance="social.example.org:8443")
    link = continue_link(response.text)
    assert link and html.unescape(link.group(1)) == (
        "https://social.example.org:8443/share?"
        "text=Longships%20%26%20sails%20http%3A%2F%2Ftestserver%2Ft%2F4-longships%2F"
    )


@pytest.mark.parametrize(
    "typed",
    ["evil.com/path", "https://x", "user@host", "javascript:", "", "   ", "a b.com", "-bad.com",
     "evil.com?x=1", "evil.com#x", "host:99999999"],
)  # fmt: skip
def test_anything_but_a_bare_server_name_is_refused_keeping_what_was_typed(client, db, typed):
    response = share_page(client, instance=typed)
    assert response.status_code == 400
    assert continue_link(response.text) is None
    assert "https://" + typed not in response.text
    assert 'role="alert"' in response.text
    assert "Type" in response.text and "Mastodon server" in response.text
    assert f'name="instance" value="{html.escape(typed)}"' in response.text
    assert 'aria-invalid="true"' in response.text


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/p/1/", "//evil.example/p/1/", "javascript:alert(1)", "", "p/1/",
     "http://testserver.evil.example/p/1/", "ftp://testserver/p/1/"],
)  # fmt: skip
def test_only_pages_of_this_site_are_shared(client, db, url):
    response = share_page(client, url=url, instance="mastodon.social")
    assert response.status_code == 400
    assert "mastodon.social/share" not in response.text


def test_a_missing_url_is_refused(client, db):
    assert client.get(PAGE + "?instance=mastodon.social").status_code == 400


def test_the_page_carries_the_sites_content_security_policy(client, db):
    assert_strict(share_page(client))
    assert_strict(share_page(client, instance="mastodon.social"))
    assert_strict(share_page(client, instance="evil.com/path"))


def test_only_get_is_allowed(client, db):
    assert client.post(PAGE + "?url=/p/1/").status_code == 405
