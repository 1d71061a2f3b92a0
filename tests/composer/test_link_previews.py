"""A link standing alone in a post becomes a preview card once the page behind it is fetched."""

from datetime import timedelta

import httpcore
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from folkmoot.composer import previews
from folkmoot.composer.models import LinkPreview, RemoteImage
from folkmoot.composer.rendering import render_markdown
from folkmoot.discussions import services, tasks
from folkmoot.discussions.models import Post
from tests.composer.test_rendering import LiveMarkup
from tests.images import image_bytes

STORY = b"""<!doctype html><html><head>
<meta charset="utf-8">
<title>Fallback title</title>
<meta property="og:title" content="Village hall saved by bake sale">
<meta property="og:description" content="Neighbours raised &pound;4,000 in one afternoon.">
<meta property="og:site_name" content="The Parish Post">
<meta property="og:image" content="https://images.example.org/hall.jpg">
</head><body><p>Story</p></body></html>"""


def _publish_reply(topic, author, body, capture):
    with capture(execute=True):
        return services.reply(topic=topic, author=author, body=body, enforce_limits=False)


def _run_preview_tasks() -> int:
    """Run the preview tasks that were queued, as the worker would; returns how many ran."""
    queued = DBTaskResult.objects.filter(task_path=tasks.fetch_link_previews.module_path)
    for result in queued:
        tasks.fetch_link_previews.call(*result.args_kwargs["args"])
    count = queued.count()
    queued.delete()
    return count


def _cards(html: str) -> int:
    return html.count('<aside class="embed-card">')


def test_a_bare_link_becomes_a_card_with_the_pages_title_and_description(
    client, topic, other_member, local_web, django_capture_on_commit_callbacks
):
    photo = local_web.serve("/hall.png", image_bytes(size=(120, 60)))
    story = STORY.replace(b"https://images.example.org/hall.jpg", photo.encode())
    url = local_web.serve("/story", story, "text/html; charset=utf-8")
    _publish_reply(
        topic, other_member, f"Look at this:\n\n{url}", django_capture_on_commit_callbacks
    )

    before = client.get(topic.get_absolute_url()).text  # also caches the post's frame
    assert _cards(before) == 0
    assert f'<p class="embed"><a href="{url}"' in before

    assert _run_preview_tasks() == 1
    page = client.get(topic.get_absolute_url()).text
    assert _cards(page) == 1
    assert f'<aside class="embed-card"><a href="{url}" rel="nofollow ugc noopener">' in page
    assert '<span class="embed-title">Village hall saved by bake sale</span>' in page
    assert "Neighbours raised £4,000 in one afternoon." in page
    assert '<span class="embed-site">The Parish Post</span>' in page
    # The card's image is our own copy: readers' browsers never load it from the far site.
    copy = RemoteImage.objects.get(url=photo)
    assert copy.file.name.startswith("remote/")
    assert f'<img class="embed-image" src="{copy.file.url}" alt="" width="120" height="60">' in page
    assert photo not in page.split("<aside", 1)[1].split('href="', 2)[1].split('"')[0]
    assert 'class="embed"' not in page


def test_a_page_without_opengraph_gives_its_title_and_meta_description(
    client, topic, other_member, local_web, django_capture_on_commit_callbacks
):
    url = local_web.serve(
        "/plain",
        b"<html><head><title> Minutes of the\n  May meeting </title>"
        b'<meta name="description" content="What the council decided."></head></html>',
        "text/html",
    )
    _publish_reply(topic, other_member, url, django_capture_on_commit_callbacks)
    _run_preview_tasks()
    page = client.get(topic.get_absolute_url()).text
    assert '<span class="embed-title">Minutes of the May meeting</span>' in page
    assert '<span class="embed-description">What the council decided.</span>' in page
    assert '<span class="embed-site">127.0.0.1</span>' in page
    assert "embed-image" not in page


HOSTILE_PAGE = b"""<html><head>
<title>ignored</title>
<meta property="og:title"
  content="&lt;script&gt;alert(1)&lt;/script&gt;<img src=x onerror=alert(1)>">
<meta property="og:description"
  content='"><a href="javascript:alert(1)">click</a><svg onload=alert(1)>'>
<meta property="og:site_name" content="<iframe src=javascript:alert(1)>">
<meta property="og:image" content="javascript:alert(1)">
</head></html>"""

HOSTILE_IMAGE = b"""<html><head><meta property="og:title" content="Pictures">
<meta property="og:image" content='https://img.example.org/a.png" onerror="alert(1)'>
</head></html>"""


def test_hostile_opengraph_content_comes_out_as_inert_text(
    client, topic, other_member, local_web, django_capture_on_commit_callbacks
):
    first = local_web.serve("/hostile", HOSTILE_PAGE, "text/html")
    second = local_web.serve("/hostile-image", HOSTILE_IMAGE, "text/html")
    _publish_reply(topic, other_member, f"{first}\n\n{second}", django_capture_on_commit_callbacks)
    _run_preview_tasks()

    page = client.get(topic.get_absolute_url()).text
    assert _cards(page) == 2
    post_html = topic.posts.get(number=2).cooked
    assert LiveMarkup(post_html).problems == []
    for tag in ("<script", "<img", "<iframe", "<svg", '<a href="javascript'):
        assert tag not in post_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in post_html  # shown as text
    assert "javascript:" not in LinkPreview.objects.get(url=first).image_url
    assert LinkPreview.objects.get(url=second).image_url == ""


def test_a_link_to_a_private_address_is_never_fetched_and_stays_a_link(
    client, topic, other_member, monkeypatch, django_capture_on_commit_callbacks
):
    connections = []
    monkeypatch.setattr(
        httpcore.SyncBackend, "connect_tcp", lambda *args, **kw: connections.append(args)
    )
    _publish_reply(topic, other_member, "http://10.0.0.1/admin", django_capture_on_commit_callbacks)
    _run_preview_tasks()

    assert connections == []
    assert LinkPreview.objects.get(url="http://10.0.0.1/admin").status == "failed"
    page = client.get(topic.get_absolute_url()).text
    assert _cards(page) == 0
    assert '<p class="embed"><a href="http://10.0.0.1/admin"' in page


def test_a_non_html_answer_or_a_too_large_page_gives_no_card(
    client, topic, other_member, local_web, django_capture_on_commit_callbacks
):
    image = local_web.serve("/photo.png", b"\x89PNG not really", "image/png")
    json = local_web.serve("/api", b'{"og:title": "no"}', "application/json")
    huge = local_web.serve("/huge", STORY + b" " * (600 * 1024), "text/html")
    body = f"{image}\n\n{json}\n\n{huge}"
    _publish_reply(topic, other_member, body, django_capture_on_commit_callbacks)
    _run_preview_tasks()

    page = client.get(topic.get_absolute_url()).text
    assert _cards(page) == 0
    assert page.count('<p class="embed">') == 3
    assert set(LinkPreview.objects.values_list("status", flat=True)) == {"failed"}


def test_a_failed_preview_is_tried_again_only_after_a_day(
    client, topic, other_member, local_web, django_capture_on_commit_callbacks
):
    url = local_web.serve("/later", b"not yet", "text/plain")
    _publish_reply(topic, other_member, url, django_capture_on_commit_callbacks)
    _run_preview_tasks()
    local_web.serve("/later", STORY, "text/html")

    # Another post with the same link, within the day: nothing queued, still no card.
    _publish_reply(topic, other_member, f"Again: \n\n{url}", django_capture_on_commit_callbacks)
    assert _run_preview_tasks() == 0
    assert _cards(client.get(topic.get_absolute_url()).text) == 0

    LinkPreview.objects.update(fetched_at=timezone.now() - timedelta(days=1, minutes=1))
    services.edit_post(post=topic.posts.get(number=3), editor=other_member, body=f"Now: \n\n{url}")
    tasks.fetch_link_previews.call(topic.posts.get(number=3).pk)
    assert _cards(client.get(topic.get_absolute_url()).text) == 1


def test_a_post_linking_a_page_already_fetched_shows_its_card_at_once(
    client, topic, other_member, local_web, django_capture_on_commit_callbacks
):
    url = local_web.serve("/story", STORY, "text/html")
    _publish_reply(topic, other_member, url, django_capture_on_commit_callbacks)
    _run_preview_tasks()
    _publish_reply(topic, other_member, f"Same story\n\n{url}", django_capture_on_commit_callbacks)
    assert _run_preview_tasks() == 0
    assert _cards(client.get(topic.get_absolute_url()).text) == 2


def test_only_the_first_links_of_a_post_are_fetched(
    client, topic, other_member, local_web, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(previews, "MAX_FETCHES_PER_POST", 2)
    urls = [local_web.serve(f"/story-{index}", STORY, "text/html") for index in range(3)]
    _publish_reply(topic, other_member, "\n\n".join(urls), django_capture_on_commit_callbacks)
    _run_preview_tasks()
    assert LinkPreview.objects.count() == 2
    page = client.get(topic.get_absolute_url()).text
    assert _cards(page) == 2
    assert f'<p class="embed"><a href="{urls[2]}"' in page


def test_a_written_link_never_gets_a_card(
    client, topic, other_member, local_web, django_capture_on_commit_callbacks
):
    url = local_web.serve("/story", STORY, "text/html")
    LinkPreview.objects.create(
        url_hash=previews.url_hash(url), url=url, status="ok", title="Village hall"
    )
    body = f"[{url}]({url})\n\nRead {url} today\n\n- {url}"
    _publish_reply(topic, other_member, body, django_capture_on_commit_callbacks)
    assert _run_preview_tasks() == 0
    page = client.get(topic.get_absolute_url()).text
    assert _cards(page) == 0
    assert "Village hall" not in page


def test_editing_a_post_to_add_a_link_gives_it_a_card(
    client, topic, member, local_web, django_capture_on_commit_callbacks
):
    url = local_web.serve("/story", STORY, "text/html")
    post = topic.posts.get(number=1)
    assert "Village hall" not in client.get(topic.get_absolute_url()).text
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_post(post=post, editor=member, body=f"Better with a source:\n\n{url}")
    assert _run_preview_tasks() == 1
    page = client.get(topic.get_absolute_url()).text
    assert _cards(page) == 1
    assert "Better with a source:" in page
    assert "Village hall saved by bake sale" in page


def test_a_post_awaiting_approval_fetches_nothing(
    topic, local_web, django_capture_on_commit_callbacks
):
    url = local_web.serve("/story", STORY, "text/html")
    post = topic.posts.get(number=1)
    post.status = post.Status.PENDING
    post.save(update_fields=["status"])
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_post(post=post, editor=post.author, body=url)
    assert _run_preview_tasks() == 0
    assert not LinkPreview.objects.exists()


def test_the_topic_page_costs_the_same_queries_with_cards(
    client, topic, other_member, local_web, django_assert_num_queries,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    for index in range(3):
        url = local_web.serve(f"/story-{index}", STORY, "text/html")
        _publish_reply(topic, other_member, url, django_capture_on_commit_callbacks)
    _run_preview_tasks()
    # 1 topic with category, 2 page of posts with authors.
    with django_assert_num_queries(2):
        page = client.get(topic.get_absolute_url()).text
    assert _cards(page) == 3


@hsettings(max_examples=200, deadline=None)
@given(
    title=st.text(min_size=1),
    description=st.text(),
    site_name=st.text(),
    image=st.text(),
)
def test_whatever_a_preview_says_renders_as_inert_markup(title, description, site_name, image):
    url = "https://example.org/story"
    preview = LinkPreview(
        url=url,
        status="ok",
        title=title,
        description=description,
        site_name=site_name,
        image_url="https://" + image,
    )
    html = render_markdown(url, {url: preview})
    assert LiveMarkup(html).problems == []
    assert html.count("<a ") == 1


def test_re_rendering_posts_keeps_their_cards(
    topic, other_member, local_web, django_capture_on_commit_callbacks
):
    url = local_web.serve("/story", STORY, "text/html")
    post = _publish_reply(topic, other_member, url, django_capture_on_commit_callbacks)
    _run_preview_tasks()
    post.refresh_from_db()
    cooked = post.cooked
    Post.objects.filter(pk=post.pk).update(renderer_version=0, cooked="")
    assert services.rerender_posts() >= 1
    post.refresh_from_db()
    assert post.cooked == cooked
    assert _cards(cooked) == 1
