"""Moderation for members who read German: the queue, refusals, warnings with their dates,
and the outcome of a report told to each reporter in their own language."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from folkmoot.moderation import services
from folkmoot.moderation.models import MemberWarning
from folkmoot.refusal import Refusal
from tests.factories import MemberFactory, make_topic
from tests.german import read_in_german


@pytest.fixture
def reply(topic):
    return make_topic(category=topic.category, replies=1).posts.get(number=2)


def test_the_queue_reads_in_german_with_its_reports(client, reply, moderator):
    services.report_post(post=reply, reporter=MemberFactory(), reason="spam", note="Uhren")
    client.force_login(moderator)
    page = read_in_german(client, moderator, "/mod/queue/")
    assert "Beiträge, die auf Freigabe warten" in page
    assert "Nichts wartet auf Freigabe." in page
    assert "Gemeldete Beiträge" in page and "Spam oder Werbung" in page
    assert "Beitrag ausblenden" in page and "Meldungen verwerfen" in page
    assert "Moderationsprotokoll" in page
    assert "Posts awaiting approval" not in page


def test_a_service_refuses_in_the_language_of_whoever_asked(reply):
    with translation.override("de"), pytest.raises(Refusal) as refused:
        services.report_post(post=reply, reporter=reply.author, reason="spam")
    assert refused.value.message == "Du kannst deinen eigenen Beitrag nicht melden."
    with pytest.raises(Refusal) as refused:
        services.report_post(post=reply, reporter=reply.author, reason="spam")
    assert refused.value.message == "You cannot report your own post."


def test_warnings_show_their_dates_the_german_way(client, reply, moderator):
    services.warn_member(post=reply, moderator=moderator, reason="Ton", points=2)
    MemberWarning.objects.update(
        created_at=datetime(2026, 3, 5, tzinfo=UTC),
        expires_at=datetime(2099, 12, 1, tzinfo=UTC),
    )
    client.force_login(reply.author)
    page = read_in_german(client, reply.author, "/mod/warnings/")
    assert "Deine Verwarnungen" in page and "2 Punkte" in page
    assert "Erteilt am" in page and "5. März 2026" in page
    assert "Zählt bis" in page and "1. Dezember 2099" in page


def test_each_reporter_hears_of_the_outcome_in_their_own_language(
    client, reply, moderator, mailbox
):
    german = MemberFactory(language="de")
    english = MemberFactory(language="en")
    for reporter in (german, english):
        services.report_post(post=reply, reporter=reporter, reason="rude")
    # The moderator decides in German: the outcome is still told in each reader's language.
    with translation.override("de"):
        assert services.resolve_reports(post=reply, moderator=moderator, outcome="hidden") == 2

    [to_german] = mailbox.to(german.email)
    assert mailbox.subject(to_german).startswith("Ergebnis deiner Meldung")
    assert "Der Beitrag wurde ausgeblendet" in mailbox.text(to_german)
    [to_english] = mailbox.to(english.email)
    assert mailbox.subject(to_english).startswith("Outcome of your report")
    assert "The post was hidden" in mailbox.text(to_english)

    client.force_login(german)
    page = read_in_german(client, german, "/notifications/")
    assert "Ergebnis deiner Meldung" in page and "Der Beitrag wurde ausgeblendet" in page
