"""Notification emails through the outbox and a real SMTP server (aiosmtpd on 127.0.0.1):
content, thread headers, one email per topic until the next visit, one-click unsubscribe
without signing in, digests."""

import re
from io import StringIO

from django.core.management import call_command
from django.test import Client

from folkmoot.discussions import services as discussions
from folkmoot.notifications import tasks
from folkmoot.notifications.models import Delivery, Follow, Notification
from tests.factories import MemberFactory, make_topic
from tests.notifications.helpers import follow_topic, run_fan_out


def unfolded(header: str) -> str:
    """A header as mail clients read it: long lines are folded on the wire."""
    return re.sub(r"\s+", "", header)


def html_part(message) -> str:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/html"]
    return part.get_payload(decode=True).decode()


def test_a_reply_is_emailed_to_a_follower_threaded_under_its_topic(db, member, mailbox):
    topic = make_topic(title="Library hours")
    follow_topic(member, topic)
    writer = MemberFactory(username="librarian")
    reply = discussions.reply(topic=topic, author=writer, body="Open on **Sundays** now")
    run_fan_out()
    [message] = mailbox.to(member.email)
    assert "Library hours" in mailbox.subject(message)
    text = mailbox.text(message)
    assert "librarian wrote" in text and "Open on **Sundays** now" in text
    assert f"/p/{reply.pk}/" in text
    assert "<strong>Sundays</strong>" in html_part(message)
    assert message["In-Reply-To"] == message["References"]
    assert re.fullmatch(rf"<topic-{topic.pk}@[^>]+>", message["In-Reply-To"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<https?://[^>]+/unsubscribe/[^/>]+/one-click/>", unfolded(message["List-Unsubscribe"])
    )


def test_one_email_per_topic_until_the_member_visits_it_again(db, member, mailbox, client):
    topic = make_topic()
    follow_topic(member, topic)
    for index in range(3):
        discussions.reply(topic=topic, author=MemberFactory(), body=f"Reply {index}")
    run_fan_out()
    assert len(mailbox.to(member.email)) == 1
    assert Notification.objects.filter(recipient=member, on_site=True).count() == 3
    client.force_login(member)
    client.post(f"/notifications/{Notification.objects.filter(recipient=member).first().pk}/open/")
    discussions.reply(topic=topic, author=MemberFactory(), body="After the visit")
    run_fan_out()
    assert len(mailbox.to(member.email)) == 2


def test_one_click_unsubscribe_unfollows_without_signing_in(db, member, mailbox):
    topic = make_topic()
    follow_topic(member, topic)
    discussions.reply(topic=topic, author=MemberFactory(), body="Hello")
    run_fan_out()
    [message] = mailbox.to(member.email)
    one_click = unfolded(message["List-Unsubscribe"]).strip("<>")
    path = one_click.split("://", 1)[1].partition("/")[2]
    stranger = Client(enforce_csrf_checks=True)  # a mail client: no cookie, no CSRF token
    response = stranger.post(f"/{path}", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Follow.objects.filter(member=member).exists()


def test_the_email_s_link_asks_first_and_a_forged_token_does_nothing(db, member, mailbox):
    topic = make_topic()
    follow_topic(member, topic)
    discussions.reply(topic=topic, author=MemberFactory(), body="Hello")
    run_fan_out()
    [link] = [u for u in mailbox.links_to(member.email) if "/unsubscribe/" in u]
    path = "/" + link.split("://", 1)[1].partition("/")[2]
    browser = Client()
    assert "Stop these emails?" in browser.get(path).content.decode()
    assert Follow.objects.filter(member=member).exists()  # GET never writes
    assert browser.post(path.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 404
    assert Follow.objects.filter(member=member).exists()
    page = browser.post(path).content.decode()
    assert "You no longer follow" in page
    assert not Follow.objects.filter(member=member).exists()


def test_a_daily_digest_gathers_what_is_new_once(db, member, mailbox):
    topic = make_topic(title="Choir practice")
    follow_topic(member, topic, delivery=Delivery.DAILY)
    for index in range(2):
        discussions.reply(topic=topic, author=MemberFactory(), body=f"Reply {index}")
    run_fan_out()
    assert mailbox.to(member.email) == []  # nothing instant
    assert tasks.send_digests.call("daily") == 1
    [digest] = mailbox.to(member.email)
    assert "daily digest" in mailbox.subject(digest)
    assert mailbox.text(digest).count("Choir practice") == 2
    assert tasks.send_digests.call("daily") == 0  # nothing new since


def test_no_digest_for_what_was_read_or_hidden_since(db, member, mailbox, moderator):
    topic = make_topic()
    follow_topic(member, topic, delivery=Delivery.WEEKLY)
    reply = discussions.reply(topic=topic, author=MemberFactory(), body="Soon hidden")
    run_fan_out()
    discussions.delete_post(post=reply, actor=moderator)
    assert tasks.send_digests.call("weekly") == 0
    assert mailbox.to(member.email) == []


def test_the_digest_command_queues_the_weekly_digest(db, member, mailbox):
    topic = make_topic(title="Repair café")
    follow_topic(member, topic, delivery=Delivery.WEEKLY)
    discussions.reply(topic=topic, author=MemberFactory(), body="Bring your kettles")
    run_fan_out()
    output = StringIO()
    call_command("send_digests", "weekly", stdout=output)
    assert "Queued 1 weekly digest" in output.getvalue()
    assert "Repair café" in mailbox.text(mailbox.to(member.email)[0])
