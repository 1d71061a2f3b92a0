"""notify(), the one entry point every app tells members through."""

import pytest
from django.core import mail
from django.db import transaction

from folkmoot.discussions import services as discussions
from folkmoot.mail.models import OutboxEmail
from folkmoot.notifications import kinds
from folkmoot.notifications.models import KindPreference, Notification
from folkmoot.notifications.services import notify
from tests.factories import CategoryFactory, MemberFactory, make_topic


def test_each_kind_has_a_label():
    names = [
        "REPLY", "NEW_TOPIC", "FOLLOWED_MEMBER", "QUOTED", "MENTIONED", "REACTED",
        "RECOMMENDED", "APPROVED", "REJECTED", "REPORT_OUTCOME", "WARNED",
    ]  # fmt: skip
    for name in names:
        assert kinds.label(getattr(kinds, name)) != getattr(kinds, name)


def test_the_recipient_is_told_and_the_actor_is_not(db, member, other_member):
    topic = make_topic(author=member)
    post = topic.posts.get(number=1)
    notify(kinds.QUOTED, recipients=[member, other_member], post=post, actor=other_member)
    assert list(Notification.objects.values_list("recipient_id", "kind", "topic_id")) == [
        (member.pk, kinds.QUOTED, topic.pk)
    ]


def test_quoted_is_emailed_by_default_and_reacted_is_not(db, member, other_member):
    post = make_topic(author=member).posts.get(number=1)
    notify(kinds.QUOTED, recipients=[member], post=post, actor=other_member)
    notify(kinds.REACTED, recipients=[member], post=post, actor=other_member)
    assert Notification.objects.filter(recipient=member).count() == 2
    assert [email.to for email in mail.outbox] == [[member.email]]


def test_nobody_is_told_of_a_post_waiting_for_a_moderator(db, member):
    topic = make_topic(
        category=CategoryFactory(moderate_new_members=True), author=MemberFactory(is_staff=True)
    )
    held = discussions.reply(topic=topic, author=MemberFactory(), body="Held for a moderator")
    assert held.status == "pending"
    notify(kinds.MENTIONED, recipients=[member], post=held)
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_nobody_is_told_of_a_hidden_post(db, member, moderator):
    topic = make_topic(replies=1)
    reply = topic.posts.get(number=2)
    discussions.delete_post(post=reply, actor=moderator)
    reply.refresh_from_db()
    notify(kinds.MENTIONED, recipients=[member], post=reply)
    assert not Notification.objects.exists()


def test_a_kind_turned_off_on_the_site_and_by_email_tells_nothing(db, member, other_member):
    post = make_topic(author=other_member).posts.get(number=1)
    KindPreference.objects.create(
        member=member, kind=kinds.MENTIONED, on_site=False, by_email=False
    )
    notify(kinds.MENTIONED, recipients=[member], post=post, actor=other_member)
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_email_only_preference_queues_the_email_without_a_bell_entry(db, member, other_member):
    post = make_topic(author=other_member).posts.get(number=1)
    KindPreference.objects.create(member=member, kind=kinds.MENTIONED, on_site=False, by_email=True)
    notify(kinds.MENTIONED, recipients=[member], post=post, actor=other_member)
    assert not Notification.objects.filter(on_site=True).exists()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_notifications_roll_back_with_the_change(member, other_member, settings):
    settings.EMAIL_BACKEND = "folkmoot.mail.backend.OutboxBackend"  # the site's: a table
    post = make_topic(author=other_member).posts.get(number=1)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(kinds.MENTIONED, recipients=[member], post=post, actor=other_member)
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_an_unknown_kind_is_a_programming_error(db, member):
    with pytest.raises(ValueError):
        notify("poked", recipients=[member])
