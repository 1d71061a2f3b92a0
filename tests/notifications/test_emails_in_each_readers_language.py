"""Each notification email is written in its recipient's language (their setting, else the
site's), whoever's request or worker writes it: one fan-out, two languages. Sent through the
outbox and a real SMTP server on 127.0.0.1."""

from django.test import Client
from django.utils import translation

from folkmoot.discussions import services as discussions
from folkmoot.notifications import tasks
from folkmoot.notifications.models import Delivery
from tests.factories import MemberFactory, make_topic
from tests.notifications.helpers import follow_topic, run_fan_out


def test_one_reply_is_emailed_in_german_to_one_follower_and_in_english_to_another(db, mailbox):
    topic = make_topic(title="Library hours")
    german = MemberFactory(language="de")
    english = MemberFactory(language="en")
    follow_topic(german, topic)
    follow_topic(english, topic)
    writer = MemberFactory(username="librarian")
    # The replier reads German: their request's language is not the followers'.
    with translation.override("de"):
        discussions.reply(topic=topic, author=writer, body="Open on Sundays now")
    run_fan_out()

    [to_german] = mailbox.to(german.email)
    assert mailbox.subject(to_german).startswith(
        "Antwort in einem Thema, dem du folgst: „Library hours“"
    )
    text = mailbox.text(to_german)
    assert "librarian schrieb:" in text and "Open on Sundays now" in text
    assert "Auf Folkmoot lesen:" in text and "Nicht mehr folgen (ohne Anmeldung):" in text
    html = [p for p in to_german.walk() if p.get_content_type() == "text/html"][0]
    assert "<strong>librarian</strong> schrieb:" in html.get_payload(decode=True).decode()

    [to_english] = mailbox.to(english.email)
    assert mailbox.subject(to_english).startswith("Reply in a topic you follow: “Library hours”")
    text = mailbox.text(to_english)
    assert "librarian wrote:" in text and "Read it on Folkmoot:" in text
    assert "schrieb" not in text


def test_a_member_who_chose_no_language_is_emailed_in_the_site_s_language(db, mailbox, settings):
    settings.LANGUAGE_CODE = "de"
    topic = make_topic(title="Garden plots")
    undecided = MemberFactory(language="")
    chose_english = MemberFactory(language="en")
    follow_topic(undecided, topic)
    follow_topic(chose_english, topic)
    discussions.reply(topic=topic, author=MemberFactory(username="gardener"), body="Plot 4 free")
    run_fan_out()

    [message] = mailbox.to(undecided.email)
    assert mailbox.subject(message).startswith("Antwort in einem Thema, dem du folgst")
    assert "gardener schrieb:" in mailbox.text(message)
    [message] = mailbox.to(chose_english.email)
    assert mailbox.subject(message).startswith("Reply in a topic you follow")


def test_a_digest_is_written_in_its_reader_s_language(db, mailbox):
    topic = make_topic(title="Choir practice")
    reader = MemberFactory(language="de")
    follow_topic(reader, topic, delivery=Delivery.DAILY)
    discussions.reply(topic=topic, author=MemberFactory(username="alto"), body="Tuesday at 7")
    run_fan_out()
    assert tasks.send_digests.call("daily") == 1

    [message] = mailbox.to(reader.email)
    assert mailbox.subject(message).startswith("Deine tägliche Zusammenfassung: 1 Neuigkeit")
    text = mailbox.text(message)
    assert "Neues auf Folkmoot" in text
    assert "Antwort in einem Thema, dem du folgst: Choir practice von alto" in text
    assert "Tägliche Zusammenfassung abbestellen (ohne Anmeldung):" in text


def test_the_email_s_unsubscribe_link_opens_a_page_in_the_email_s_language(db, mailbox):
    topic = make_topic(title="Night market")
    german = MemberFactory(language="de")
    follow_topic(german, topic)
    discussions.reply(topic=topic, author=MemberFactory(), body="Stalls from 6")
    run_fan_out()
    [link] = [u for u in mailbox.links_to(german.email) if "/unsubscribe/" in u]
    path = "/" + link.split("://", 1)[1].partition("/")[2]
    browser = Client()  # not signed in: only the link says who it is for
    assert "Diese E-Mails abbestellen? Ohne Anmeldung." in browser.get(path).text
    assert "Du folgst „Night market“ nicht mehr." in browser.post(path).text
