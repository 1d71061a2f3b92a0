"""@mentions and quotes: mentions of members render as links to their profiles (up to a cap per
post); the members mentioned and the authors quoted are told, once, and only of what an edit
added; nobody is told of a post they may not see."""

import pytest
from django.db import transaction

from folkmoot.discussions import lifecycle, notices, services
from tests.conftest import set_limits
from tests.factories import MemberFactory, make_topic


@pytest.fixture
def told(monkeypatch):
    notes = []
    for kind in ("mentioned", "quoted"):
        monkeypatch.setattr(
            notices,
            kind,
            lambda kind=kind, **notice: notes.append(
                (kind, sorted(m.username for m in notice["recipients"]), notice["post"].pk)
            ),
        )
    return notes


def test_a_mention_of_a_member_is_a_link_to_their_profile(member, db):
    MemberFactory(username="Freya")
    topic = make_topic()
    post = services.reply(
        topic=topic, author=member, body="Ask @freya, not @nobody or me@example.org. `@freya`"
    )
    assert (
        '<a href="/u/Freya/" class="mention" rel="nofollow ugc noopener">@Freya</a>' in post.cooked
    )
    assert "@nobody" in post.cooked and 'href="/u/nobody/"' not in post.cooked
    assert "<code>@freya</code>" in post.cooked
    assert post.cooked.count('class="mention"') == 1


def test_only_the_first_members_up_to_the_cap_are_linked(member, settings, db):
    set_limits(settings, MENTIONS_MAX=2)
    for name in ("ann", "ben", "cat"):
        MemberFactory(username=name)
    post = services.reply(topic=make_topic(), author=member, body="@ann @ben @cat")
    assert post.cooked.count('class="mention"') == 2
    assert 'href="/u/cat/"' not in post.cooked


def test_members_mentioned_are_told_once_and_an_edit_tells_only_the_new_ones(
    member, told, django_capture_on_commit_callbacks, db
):
    for name in ("ann", "ben"):
        MemberFactory(username=name)
    topic = make_topic()
    with django_capture_on_commit_callbacks(execute=True):
        post = services.reply(topic=topic, author=member, body=f"Hello @ann and @{member.username}")
    assert told == [("mentioned", ["ann"], post.pk)]  # not the author themselves
    told.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_post(post=post, editor=member, body="Hello @ann and @ben")
    assert told == [("mentioned", ["ben"], post.pk)]
    told.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_post(post=post, editor=member, body="Hello again @ann and @ben")
    assert told == []


def test_quoted_authors_are_told_and_nobody_of_a_post_they_may_not_see(
    member, moderator, told, django_capture_on_commit_callbacks, db
):
    quoted_author = MemberFactory(username="quoted")
    MemberFactory(username="outsider")
    topic = make_topic(author=quoted_author)
    opening = topic.posts.get(number=1)
    quote = f"> **[quoted](/p/{opening.pk}/) wrote:**\n>\n> The first post\n\nIndeed."
    with django_capture_on_commit_callbacks(execute=True):
        post = services.reply(topic=topic, author=member, body=quote)
    assert told == [("quoted", ["quoted"], post.pk)]
    told.clear()
    # A moderator's reply in a deleted topic: only moderators may see it.
    with transaction.atomic():
        lifecycle.hide(opening, why=lifecycle.HideReason.DELETED)
    topic.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(topic=topic, author=moderator, body="@outsider see this")
    assert told == []
