"""Members report posts (a reason from a list and free text); moderators see the reports in
the queue grouped by post, with the reporters and reasons, and hide, delete or dismiss from
there. A post reported by REPORTS_TO_HIDE distinct trusted members is hidden until reviewed."""

import pytest

from folkmoot.accounts.models import User
from folkmoot.moderation import services
from folkmoot.moderation.models import ModerationLog, Report
from folkmoot.refusal import NotFound, Refusal
from tests.conftest import set_limits
from tests.factories import CategoryFactory, MemberFactory, make_topic


def trusted(**kwargs):
    """A member with enough published posts not to be new."""
    member = MemberFactory(**kwargs)
    User.objects.filter(pk=member.pk).update(post_count=10)
    member.refresh_from_db()
    return member


@pytest.fixture
def reply(topic):
    return make_topic(category=topic.category, replies=1).posts.get(number=2)


def test_a_member_reports_a_post_from_its_page_without_javascript(client, reply):
    reporter = MemberFactory()
    client.force_login(reporter)
    page = client.get(reply.topic.get_absolute_url()).text
    assert f'href="/mod/p/{reply.pk}/report/"' in page
    form = client.get(f"/mod/p/{reply.pk}/report/")
    assert "Spam or advertising" in form.text and "Reply number 1" in form.text

    response = client.post(
        f"/mod/p/{reply.pk}/report/", {"reason": "spam", "note": "Sells watches"}, follow=True
    )
    assert "the moderators will look at this post" in response.text
    report = Report.objects.get()
    assert (report.post, report.reporter, report.reason, report.note) == (
        reply,
        reporter,
        "spam",
        "Sells watches",
    )
    # Twice is once.
    client.post(f"/mod/p/{reply.pk}/report/", {"reason": "rude"})
    assert Report.objects.count() == 1


def test_a_report_needs_a_reason_from_the_list(client, reply):
    client.force_login(MemberFactory())
    response = client.post(f"/mod/p/{reply.pk}/report/", {"reason": "bogus", "note": "x"})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_nobody_reports_their_own_post_or_one_they_cannot_read(reply, moderator):
    with pytest.raises(Refusal):
        services.report_post(post=reply, reporter=reply.author, reason="spam")
    held = make_topic(category=CategoryFactory(moderate_new_members=True), author=moderator)
    from folkmoot.discussions import services as discussions

    waiting = discussions.reply(topic=held, author=MemberFactory(), body="Held for approval")
    with pytest.raises(NotFound):
        services.report_post(post=waiting, reporter=MemberFactory(), reason="spam")


def test_the_queue_groups_reports_by_post_with_reporters_and_reasons(client, reply, moderator):
    alice, bob = MemberFactory(username="alice"), MemberFactory(username="bob")
    services.report_post(post=reply, reporter=alice, reason="spam", note="Link farm")
    services.report_post(post=reply, reporter=bob, reason="rude")
    client.force_login(moderator)
    page = client.get("/mod/queue/").text
    assert page.count(f'id="reported-{reply.pk}"') == 1
    assert "alice" in page and "Link farm" in page and "Spam or advertising" in page
    assert "bob" in page and "Rude, abusive or harassing" in page


def test_hiding_from_the_queue_closes_every_report_on_the_post(client, reply, moderator):
    reporters = [MemberFactory() for _ in range(2)]
    for reporter in reporters:
        services.report_post(post=reply, reporter=reporter, reason="spam")
    client.force_login(moderator)
    response = client.post(
        f"/mod/queue/{reply.pk}/reports/", {"outcome": "hidden", "reason": "Spam"}, follow=True
    )
    assert "Closed 2 reports: the post was hidden." in response.text
    reply.refresh_from_db()
    assert (reply.status, reply.hidden_as, reply.hidden_note) == ("deleted", "hidden", "Spam")
    assert set(Report.objects.values_list("outcome", flat=True)) == {"hidden"}
    assert Report.objects.filter(resolved_at__isnull=True).count() == 0
    assert "No open reports." in client.get("/mod/queue/").text
    assert ModerationLog.objects.get().action == "hide"


def test_a_moderator_of_another_category_cannot_decide(reply):
    services.report_post(post=reply, reporter=MemberFactory(), reason="spam")
    elsewhere = MemberFactory()
    CategoryFactory().moderators.add(elsewhere)
    with pytest.raises(NotFound):
        services.resolve_reports(post=reply, moderator=elsewhere, outcome="deleted")
    reply.refresh_from_db()
    assert reply.status == "published"


def test_enough_trusted_reporters_hide_the_post_until_a_moderator_reviews_it(
    client, settings, reply, moderator
):
    set_limits(settings, REPORTS_TO_HIDE=2)
    services.report_post(post=reply, reporter=MemberFactory(), reason="spam")  # new: not counted
    services.report_post(post=reply, reporter=trusted(), reason="spam")
    reply.refresh_from_db()
    assert reply.status == "published"
    services.report_post(post=reply, reporter=trusted(), reason="rude")
    reply.refresh_from_db()
    assert (reply.status, reply.hidden_as) == ("deleted", "reported")
    assert client.get(reply.get_absolute_url()).status_code == 404
    line = ModerationLog.objects.get()
    assert (line.action, line.moderator) == ("hide_reported", None)

    # The moderator finds it fine: dismissing brings it back.
    client.force_login(moderator)
    page = client.get("/mod/queue/").text
    assert "Hidden by reports until reviewed" in page
    client.post(f"/mod/queue/{reply.pk}/reports/", {"outcome": "dismissed"})
    reply.refresh_from_db()
    assert (reply.status, reply.hidden_as) == ("published", "")
    assert set(Report.objects.values_list("outcome", flat=True)) == {"dismissed"}


def test_deleting_a_post_the_reports_hid_relabels_it(reply, moderator, settings):
    set_limits(settings, REPORTS_TO_HIDE=1)
    services.report_post(post=reply, reporter=trusted(), reason="illegal")
    assert services.resolve_reports(post=reply, moderator=moderator, outcome="deleted") == 1
    reply.refresh_from_db()
    assert (reply.status, reply.hidden_as) == ("deleted", "deleted")
    assert services.resolve_reports(post=reply, moderator=moderator, outcome="dismissed") == 0


def test_reporters_are_told_the_outcome(reply, moderator):
    from folkmoot.notifications.models import Notification

    alice, bob = MemberFactory(), MemberFactory()
    services.report_post(post=reply, reporter=alice, reason="spam")
    services.report_post(post=reply, reporter=bob, reason="rude")
    services.resolve_reports(post=reply, moderator=moderator, outcome="hidden", reason="Spam")
    told = Notification.objects.filter(kind="report_outcome").order_by("recipient_id")
    assert [(n.recipient_id, n.post_id, n.note) for n in told] == [
        (alice.pk, reply.pk, "The post was hidden"),
        (bob.pk, reply.pk, "The post was hidden"),
    ]
    assert reply.author_id not in [n.recipient_id for n in told]
