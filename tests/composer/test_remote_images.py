"""Images from other sites, in posts and preview cards: readers' browsers never fetch them. The
worker copies each one (through the guarded fetcher, re-encoded) and the post shows the copy;
until then, and for URLs we refuse, it shows a plain link."""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import httpcore
import pytest
from django_tasks_db.models import DBTaskResult
from hypothesis import given
from hypothesis import strategies as st

from folkmoot import demo
from folkmoot.composer.models import LinkPreview, RemoteImage
from folkmoot.composer.rendering import is_local_src, render_markdown, sanitize
from folkmoot.discussions import services, tasks
from tests.images import image_bytes

OFF_SITE = [
    "https://10.0.0.5/x.png", "http://169.254.169.254/latest/x.png", "https://example.org/a.jpg",
    "HTTPS://EXAMPLE.ORG/A.JPG", "//evil.example/x.png", "http://[::1]/x.png",
    "https://user:pw@example.org/x.png", "http://example.org:6379/x.png",
]  # fmt: skip
TRICKY_SOURCES = OFF_SITE + [
    "/\\evil.example/x.png", "\\\\evil.example/x.png", "/\t/evil.example/x.png",
    "javascript:alert(1)", "data:image/png;base64,AAAA", " https://example.org/x.png",
    "https:example.org/x.png", "http:/example.org/x.png", "//", "/%2F/evil.example/x.png",
]  # fmt: skip


def image_sources(html: str) -> list[str]:
    return re.findall(r"<img\b[^>]*\bsrc=\"([^\"]*)\"", html)


def assert_no_off_site_images(html: str) -> None:
    """Every image loads from the page's own origin, as a browser resolves it."""
    for src in image_sources(html):
        resolved = urlsplit(urljoin("https://forum.example/t/1-topic/", unescape(src)))
        assert is_local_src(src) and resolved.netloc == "forum.example", src


@pytest.mark.parametrize("src", OFF_SITE)
def test_an_off_site_image_without_our_copy_is_a_plain_link(src):
    html = render_markdown(f"Look: ![the chart]({src})")
    assert "<img" not in html
    assert ">the chart</a>" in html


@pytest.mark.parametrize("src", TRICKY_SOURCES)
def test_no_image_source_trick_reaches_the_page(src):
    for source in (f"![x]({src})", f"![x](<{src}>)", f'<img src="{src}">', f"[![x]({src})](/)"):
        assert_no_off_site_images(render_markdown(source))
    assert_no_off_site_images(sanitize(f'<p><img src="{src}" alt="x"></p>'))


def test_uploads_and_other_local_images_still_show():
    html = render_markdown("![mine](/media/attachments/2026/11/ab12.png)")
    assert '<img src="/media/attachments/2026/11/ab12.png" alt="mine">' in html


def test_a_preview_cards_image_shows_only_from_our_copy():
    url = "https://example.org/story"
    preview = LinkPreview(
        url=url, status="ok", title="Story", image_url="https://cdn.example/a.png"
    )
    assert "<img" not in render_markdown(url, {url: preview})


@given(st.text(alphabet=st.sampled_from(list("![]()<>\"'/\\:.@ \t\nahtpsimgrc=x%2Fe"))))
def test_whatever_is_written_no_image_points_off_site(source):
    assert_no_off_site_images(render_markdown(source))


def _run_fetch_queue() -> int:
    queued = DBTaskResult.objects.filter(queue_name=tasks.FETCH_QUEUE)
    ran = 0
    for result in queued:
        tasks.fetch_link_previews.call(*result.args_kwargs["args"])
        ran += 1
    queued.delete()
    return ran


def test_the_worker_copies_a_posts_image_and_the_post_then_shows_the_copy(
    client, topic, other_member, local_web, django_capture_on_commit_callbacks
):
    src = local_web.serve("/chart.png", image_bytes(size=(80, 40)))
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(
            topic=topic, author=other_member, body=f"See ![the chart]({src})", enforce_limits=False
        )
    before = client.get(topic.get_absolute_url()).text
    assert f'<a href="{src}" rel="nofollow ugc noopener">the chart</a>' in before
    assert local_web.hits == []  # nothing fetched while the reader waited

    assert _run_fetch_queue() == 1
    page = client.get(topic.get_absolute_url()).text
    copy = RemoteImage.objects.get(url=src)
    assert f'<img src="{copy.file.url}" alt="the chart" width="80" height="40">' in page
    assert_no_off_site_images(page)
    served = client.get(copy.file.url)
    assert served.status_code == 200
    assert served["X-Content-Type-Options"] == "nosniff"


def test_an_image_at_a_private_address_is_never_fetched_and_stays_a_link(
    client, topic, other_member, monkeypatch, django_capture_on_commit_callbacks
):
    connections = []
    monkeypatch.setattr(
        httpcore.SyncBackend, "connect_tcp", lambda *args, **kw: connections.append(args)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(
            topic=topic,
            author=other_member,
            body="![internal](https://10.0.0.5/secret.png)",
            enforce_limits=False,
        )
    _run_fetch_queue()
    assert connections == []
    assert RemoteImage.objects.get(url="https://10.0.0.5/secret.png").status == "failed"
    page = client.get(topic.get_absolute_url()).text
    assert '<a href="https://10.0.0.5/secret.png" rel="nofollow ugc noopener">internal</a>' in page
    assert_no_off_site_images(page)


def test_a_file_that_is_not_an_image_gets_no_copy(
    topic, other_member, local_web, django_capture_on_commit_callbacks
):
    src = local_web.serve("/fake.png", b"<svg onload=alert(1)>", "image/png")
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(topic=topic, author=other_member, body=f"![x]({src})", enforce_limits=False)
    _run_fetch_queue()
    assert not RemoteImage.objects.get(url=src).is_ok
    assert "<img" not in topic.posts.get(number=2).cooked


def test_fetching_runs_on_its_own_queue(topic, other_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(
            topic=topic,
            author=other_member,
            body="https://example.org/story",
            enforce_limits=False,
        )
    [queued] = DBTaskResult.objects.filter(task_path=tasks.fetch_link_previews.module_path)
    assert queued.queue_name == "fetches"


def test_the_demo_content_makes_the_worker_fetch_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.load_demo()
    assert not DBTaskResult.objects.filter(queue_name=tasks.FETCH_QUEUE).exists()
