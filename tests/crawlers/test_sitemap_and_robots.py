"""sitemap.xml (an index with pages, public topics only) and robots.txt."""

import xml.etree.ElementTree as ET

from django.contrib.sites.models import Site

from folkmoot.discussions.models import Post
from tests.conftest import set_limits
from tests.factories import CategoryFactory, make_topic

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(response, tag: str) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{NS}{tag}"
    return [element.findtext(f"{NS}loc") for element in root]


def test_the_sitemap_index_pages_every_public_topic(client, settings, db):
    set_limits(settings, SITEMAP_URLS_PER_PAGE=2)
    Site.objects.filter(pk=settings.SITE_ID).update(domain="forum.example.net")
    category = CategoryFactory()
    topics = [make_topic(category=category, title=f"Topic {n}") for n in range(5)]
    deleted = make_topic(category=category, title="Deleted")
    deleted.is_deleted = True
    deleted.save()
    held = make_topic(category=category, title="Held")
    held.posts.update(status=Post.Status.PENDING)
    held.post_count = 0
    held.save()

    pages = locations(client.get("/sitemap.xml"), "sitemapindex")
    assert pages == [
        "http://forum.example.net/sitemap-categories.xml",
        "http://forum.example.net/sitemap-topics.xml",
        "http://forum.example.net/sitemap-topics.xml?p=2",
        "http://forum.example.net/sitemap-topics.xml?p=3",
    ]
    listed = []
    for page in pages[1:]:
        urls = locations(client.get(page.removeprefix("http://forum.example.net")), "urlset")
        assert len(urls) <= 2
        listed += urls
    assert listed == [f"http://forum.example.net{t.get_absolute_url()}" for t in topics]
    assert locations(client.get("/sitemap-categories.xml"), "urlset") == [
        f"http://forum.example.net{category.get_absolute_url()}"
    ]
    assert client.get("/sitemap-topics.xml?p=9").status_code == 404


def test_robots_txt_keeps_crawlers_out_of_private_and_action_urls(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/accounts/", "/mod/", "/uploads/", "/drafts/", "/p/*/edit/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    # The forum itself stays open to them.
    assert "Disallow: /" not in lines and "Disallow: /t/" not in lines
