"""The topic page's parts as stamps with slots ({% stamp ... slots ... %}, template_filters):
drawn once a shape and language, each page filling in its own values. A reader sees the same
page as one drawn afresh with the values in place, whatever reader, language, page or topic
state, and every change on the next page; a title or name's markup stays text."""

import re

import pytest
from django.template import engines
from django.test import Client

from folkmoot.discussions import services
from folkmoot.discussions.models import Topic
from folkmoot.forums.models import Category
from folkmoot.notifications import services as notification_services
from folkmoot.template_filters import stamps_drawn_afresh
from tests.factories import MemberFactory, make_topic

PER_PAGE_SETTING = {"POSTS_PER_PAGE": 3}


def _without_tokens(html: str) -> str:
    """The page less what differs on every request (CSRF tokens are masked afresh)."""
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1-", html)
    return re.sub(r'data-csrf="[^"]+"', 'data-csrf="-"', html)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def _same_as_drawn_afresh(client, url: str) -> str:
    """The page twice from kept markup (the first draws it), then drawn afresh: all alike."""
    first = _page(client, url)
    filled = _page(client, url)
    with stamps_drawn_afresh():
        afresh = _page(client, url)
    assert _without_tokens(first) == _without_tokens(filled) == _without_tokens(afresh)
    return filled


@pytest.fixture
def long_topic(db, settings):
    settings.FOLKMOOT = {**settings.FOLKMOOT, **PER_PAGE_SETTING}
    return make_topic(replies=4, title='Quotes "&" <b>tags</b> {0} {title} 70913000048256')


def _client_for(reader, language: str) -> Client:
    client = Client()
    if reader is not None:
        client.force_login(reader)
    if language:
        client.cookies["language"] = language
    return client


@pytest.mark.parametrize("language", ["", "de", "ar"])
@pytest.mark.parametrize("reader_kind", ["anonymous", "member", "moderator"])
@pytest.mark.parametrize("page", [1, 2])
def test_each_reader_language_and_page_matches_the_page_drawn_afresh(
    long_topic, reader_kind, language, page
):
    reader = {
        "anonymous": None,
        "member": MemberFactory(),
        "moderator": MemberFactory(is_staff=True),
    }[reader_kind]
    client = _client_for(reader, language)
    html = _same_as_drawn_afresh(client, f"{long_topic.get_absolute_url()}?page={page}")
    # The title's markup is text wherever the page shows it: heading, <title>, feeds.
    assert "<b>tags</b>" not in html
    assert (
        html.count("Quotes &quot;&amp;&quot; &lt;b&gt;tags&lt;/b&gt; {0} {title} 70913000048256")
        >= 4
    )


@pytest.mark.parametrize(
    "guest_policy", [Category.GuestPolicy.REGISTER_LATER, Category.GuestPolicy.NONE]
)
def test_guests_see_the_reply_box_their_category_allows(db, guest_policy):
    topic = make_topic()
    Category.objects.filter(pk=topic.category_id).update(guest_policy=guest_policy)
    client = Client()
    html = _same_as_drawn_afresh(client, topic.get_absolute_url())
    guests_may_post = guest_policy != Category.GuestPolicy.NONE
    assert ('name="email"' in html) is guests_may_post
    assert ('name="csrfmiddlewaretoken"' in html) is guests_may_post
    assert ("You need to be a member to reply." in html) is not guests_may_post
    # Sign-in links bring the reader back here.
    assert f"?next={topic.get_absolute_url()}" in html


def test_locked_pinned_and_deleted_topics_show_their_state_at_once(db, moderator):
    topic = make_topic(replies=1)
    url = topic.get_absolute_url()
    member = MemberFactory()
    member_client = _client_for(member, "")
    moderator_client = _client_for(moderator, "")
    before = _same_as_drawn_afresh(member_client, url)
    assert (
        "This topic is locked." not in before and 'placeholder="Reply to this topic..."' in before
    )

    services.lock_topic(topic=topic, actor=moderator, locked=True)
    services.pin_topic(topic=topic, actor=moderator, pinned=True)
    locked = _same_as_drawn_afresh(member_client, url)
    assert "This topic is locked: nobody can reply." in locked
    assert 'placeholder="Reply to this topic..."' not in locked
    assert '<span class="badge">Pinned</span>' in locked
    as_moderator = _same_as_drawn_afresh(moderator_client, url)
    assert "as a moderator you may still reply" in as_moderator

    services.delete_post(post=topic.posts.get(number=1), actor=moderator)
    deleted = _same_as_drawn_afresh(moderator_client, url)
    assert "This topic was deleted" in deleted


def test_an_edited_title_and_a_follow_show_on_the_next_page(db, member):
    topic = make_topic(replies=1)
    client = _client_for(member, "")
    url = topic.get_absolute_url()
    html = _same_as_drawn_afresh(client, url)
    assert 'aria-pressed="false"' in html and 'aria-label="0 followers"' in html

    Topic.objects.filter(pk=topic.pk).update(title="<script>alert(1)</script> renamed")
    notification_services.follow(member=member, topic=topic)
    html = _same_as_drawn_afresh(client, url)
    assert "<script>alert(1)</script>" not in html
    assert (
        '<h1 class="topic-title" dir="auto">&lt;script&gt;alert(1)&lt;/script&gt; renamed</h1>'
        in html
    )
    assert 'aria-pressed="true"' in html and 'aria-label="1 follower"' in html
    assert '<input type="hidden" name="action" value="unfollow">' in html


def test_the_reply_boxs_csrf_token_posts_a_reply(db, member):
    topic = make_topic()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    for _ in range(2):  # the second page is filled in from kept markup
        html = _page(client, topic.get_absolute_url())
    reply_form = html[html.index('<section class="reply-box"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reply_form)[1]
    action = re.search(r'<form method="post" action="([^"]+)"', reply_form)[1]
    assert action == f"/t/{topic.pk}-{topic.slug}/reply/"
    response = client.post(
        action, {"body": "A reply through the page's own form.", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert topic.posts.filter(body="A reply through the page's own form.").exists()


def test_a_reply_form_sent_back_with_errors_keeps_what_was_written(db, member, settings):
    topic = make_topic()
    client = _client_for(member, "")
    _page(client, topic.get_absolute_url())  # the member's reply box kept
    too_long = "<b>x</b>" + "y" * settings.FOLKMOOT["POST_MAX_LENGTH"]
    response = client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": too_long})
    assert response.status_code == 400
    assert '<ul class="errorlist" role="alert">' in response.text
    assert ">&lt;b&gt;x&lt;/b&gt;yyy" in response.text


def test_the_page_needs_no_inline_script_or_nonce(client, db):
    topic = make_topic()
    response = client.get(topic.get_absolute_url())
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "nonce" not in policy
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.text)
    assert all('type="application/ld+json"' in attributes for attributes in scripts)


def _render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_a_stamp_sees_only_its_flags_and_slots_and_escapes_each_value(db):
    source = (
        '{% stamp "test-isolated" shown=shown slots name=name %}'
        "{% if shown %}[{{ name }}|{{ secret }}]{% else %}hidden{% endif %}{% endstamp %}"
    )
    assert _render(source, shown=True, name="<i>{0}</i>", secret="s") == "[&lt;i&gt;{0}&lt;/i&gt;|]"
    assert _render(source, shown=True, name="70913000048256", secret="s") == "[70913000048256|]"
    assert _render(source, shown=False, name="x", secret="s") == "hidden"


def test_a_slots_truth_picks_the_markup_and_falsy_values_print_as_they_are(db):
    source = (
        '{% stamp "test-truth" slots count=count title=title %}'
        "{{ count }}:{% if title %}{{ title }}{% else %}untitled{% endif %}{% endstamp %}"
    )
    assert _render(source, count=0, title="") == "0:untitled"
    assert _render(source, count=3, title="A & B") == "3:A &amp; B"
    assert _render(source, count=0, title="Again") == "0:Again"


def test_dotted_slots_stand_for_an_objects_attributes(db):
    source = (
        '{% stamp "test-dotted" slots card.title=topic.title card.url=topic.get_absolute_url %}'
        '<a href="{{ card.url }}">{{ card.title }}</a>{% endstamp %}'
    )
    topic = make_topic(title="Dots & <dashes>")
    html = _render(source, topic=topic)
    assert html == f'<a href="{topic.get_absolute_url()}">Dots &amp; &lt;dashes&gt;</a>'
