"""What a topic page keeps in the process between requests (post frames, JSON-LD comments, the
share card and posting: discussions/post_html.py and sharing.py) is kept by everything it
shows, so a change to any of it shows on the next page, and the pieces it is put together from
make the same bytes as building it whole."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from folkmoot.accounts.models import User
from folkmoot.discussions import post_html, queries, services, sharing, stamps
from folkmoot.discussions.models import Post
from tests.discussions.test_sharing_metadata import forum_posting, read
from tests.factories import MemberFactory, make_topic

TRICKY = (
    'Quotes " and \\ backslashes, </script><!-- markup -->, & ampersands, Zoë 🎉 ünïcödé, '
    "a tab\tand *emphasis*"
)


def _sharing(topic, *, host="testserver"):
    topic = queries.get_topic(topic_id=topic.pk, viewer=AnonymousUser())
    listing = queries.topic_page(topic=topic, page=None)
    request = RequestFactory().get(topic.get_absolute_url(), HTTP_HOST=host)
    return request, topic, listing


@pytest.fixture
def tricky_topic(db):
    author = MemberFactory(username="zoë.b+1")
    topic = make_topic(author=author, title='A "tricky" </script> title & more', replies=3)
    replies = list(topic.posts.filter(number__gt=1).order_by("number"))
    services.edit_post(post=replies[0], editor=replies[0].author, body=TRICKY)
    Post.objects.filter(pk=replies[1].pk).update(reaction_counts={"like": 3, "haha": 1})
    User.objects.filter(pk=replies[2].author_id).update(chosen_name='Ann "the" <b>Bold</b>')
    return topic


def test_the_json_ld_put_together_is_the_json_ld_built_whole(tricky_topic):
    for host in ("testserver", "localhost:8000"):
        request, topic, listing = _sharing(tricky_topic, host=host)
        whole = sharing.json_ld_script(
            sharing.discussion_forum_posting(
                request,
                topic=topic,
                opening_post=listing.opening_post,
                replies=[post for post in listing.posts if post.number != 1],
                topic_url=f"http://{host}{topic.get_absolute_url()}",
                page_url=f"http://{host}{topic.get_absolute_url()}",
                image="",
            )
        )
        made = sharing.for_topic_page(
            request, topic=topic, opening_post=listing.opening_post, posts=listing.posts,
            page_number=1,
        )  # fmt: skip
        kept = sharing.for_topic_page(
            request, topic=topic, opening_post=listing.opening_post, posts=listing.posts,
            page_number=1,
        )  # fmt: skip
        assert made.json_ld == whole == kept.json_ld
        assert made.card == kept.card
        assert "</script" not in whole.removesuffix("</script>")
        assert f"http://{host}/u/zo%C3%AB.b+1/" in whole


@pytest.mark.parametrize("username", ["plain", "zoë", "a.b", ".", "..", "a+b@c", "x y", "%41"])
def test_profile_addresses_are_what_build_absolute_uri_makes(db, settings, username):
    settings.ALLOWED_HOSTS = ["example.org"]
    request = RequestFactory().get("/t/1-x/", HTTP_HOST="Example.org:8000")
    links = sharing._PageLinks(request)
    expected = request.build_absolute_uri(reverse("profile", args=[username]))
    assert links.profile_url(username) == expected


def test_a_post_redrawn_by_the_worker_shows_on_the_next_page(client, db):
    """A link preview is fetched after the post is saved: only its HTML changes (no edit
    time, no renderer version)."""
    topic = make_topic(replies=1)
    url = topic.get_absolute_url()
    first = client.get(url).text
    assert "Reply number 1" in first
    reply = topic.posts.get(number=2)
    opening = topic.posts.get(number=1)
    for post in (opening, reply):
        Post.objects.filter(pk=post.pk).update(
            cooked=post.cooked + '<aside class="preview"><p>A fetched preview</p></aside>'
        )
    page = client.get(url).text
    assert page.count("A fetched preview") >= 2 + 2  # both frames, their JSON-LD texts
    posting = forum_posting(page)
    assert posting["text"].endswith("A fetched preview")
    assert posting["comment"][0]["text"].endswith("A fetched preview")
    assert read(page).meta["og:description"].endswith("A fetched preview")


def test_an_authors_new_name_and_picture_show_on_the_next_page(client, member):
    topic = make_topic(author=member, replies=1)
    url = topic.get_absolute_url()
    assert f">{member.username}</a>" in client.get(url).text
    User.objects.filter(pk=member.pk).update(avatar="avatars/ingrid.webp")
    assert '<img class="avatar" src="/media/avatars/ingrid.webp"' in client.get(url).text
    User.objects.filter(pk=member.pk).update(chosen_name="Ingrid")
    page = client.get(url).text
    assert f'data-user-card="/u/{member.username}/card/">Ingrid</a>' in page
    assert forum_posting(page)["author"]["name"] == "Ingrid"
    # A renamed account (an administrator's change): its profile links follow.
    User.objects.filter(pk=member.pk).update(username="ingrid_h")
    page = client.get(url).text
    assert 'href="/u/ingrid_h/"' in page
    assert forum_posting(page)["author"]["url"] == "http://testserver/u/ingrid_h/"


def test_a_reply_author_renamed_shows_in_the_json_ld_comments(client, db):
    topic = make_topic(replies=1)
    url = topic.get_absolute_url()
    client.get(url)
    reply = topic.posts.get(number=2)
    User.objects.filter(pk=reply.author_id).update(chosen_name="Renamed replier")
    assert forum_posting(client.get(url).text)["comment"][0]["author"]["name"] == (
        "Renamed replier"
    )


def test_a_readers_language_shows_in_the_frames(client, member):
    topic = make_topic(author=member)
    Post.objects.filter(topic=topic).update(created_at=datetime(2026, 1, 1, 12, 0, tzinfo=UTC))
    url = topic.get_absolute_url()
    assert ">1 January 2026</time>" in client.get(url).text
    client.cookies["language"] = "de"
    assert ">1. Januar 2026</time>" in client.get(url).text
    client.cookies["language"] = "en"
    assert ">1 January 2026</time>" in client.get(url).text


def test_the_frame_memo_is_bounded_by_size():
    memo = post_html._FrameMemo(max_chars=100)
    memo.keep(b"a", "x" * 60)
    assert memo.get(b"a") == "x" * 60
    memo.keep(b"b", "y" * 60)  # past the bound: started again
    assert memo.get(b"a") is None and memo.get(b"b") == "y" * 60


def test_a_row_pattern_keeps_percent_signs_and_braces_in_its_markup():
    names = ["pk", "title"]
    html = f"<a data-x='{{100%}}' href='/p/{{}}%s'>{_slot(names, 'pk')}</a>{_slot(names, 'title')}"
    stamp = stamps.Stamp(html, names)
    assert stamp.fill({"pk": "7", "title": "%d"}) == "<a data-x='{100%}' href='/p/{}%s'>7</a>%d"
    assert stamps.Stamp("no slots 100%", names).fill({}) == "no slots 100%"
    assert stamps.Stamp(_slot(names, "title"), names).fill({"title": "t"}) == "t"


def _slot(names, name):
    return stamps._PLACEHOLDER.format(names.index(name))
