"""Every moderation action is a line in the log (who, what, when, why, before and after), on
a page for moderators filterable by moderator, member, category and action. The site offers
no way to change or remove a line."""

from folkmoot.discussions import services
from folkmoot.moderation.models import ModerationLog
from tests.factories import CategoryFactory, MemberFactory, make_topic


def test_the_log_page_lists_actions_and_filters_them(client, moderator):
    ann, bob = MemberFactory(username="ann"), MemberFactory(username="bob")
    first = CategoryFactory(name="First")
    second = CategoryFactory(name="Second")
    anns = make_topic(category=first, author=ann, title="Ann's topic", replies=1)
    bobs = make_topic(category=second, author=bob, title="Bob's topic", replies=1)
    services.lock_topic(topic=anns, actor=moderator, locked=True)
    services.hide_post(post=bobs.posts.get(number=1), actor=moderator, reason="Spam opener")

    client.force_login(moderator)
    page = client.get("/mod/log/").text
    assert "Ann&#x27;s topic" in page and "Bob&#x27;s topic" in page
    assert "Spam opener" in page and "open → locked" in page

    by_category = client.get(f"/mod/log/?category={first.pk}").text
    assert "Ann&#x27;s topic" in by_category and "Bob&#x27;s topic" not in by_category
    by_member = client.get("/mod/log/?member=bob").text
    assert "Spam opener" in by_member and "Ann&#x27;s topic" not in by_member
    by_action = client.get("/mod/log/?action=lock").text
    assert "Ann&#x27;s topic" in by_action and "Spam opener" not in by_action
    by_moderator = client.get("/mod/log/?moderator=nobody").text
    assert "No moderation actions match these filters" in by_moderator


def test_a_category_moderator_reads_the_lines_of_their_categories_only(client, moderator):
    mine, theirs = CategoryFactory(name="Mine"), CategoryFactory(name="Theirs")
    catmod = MemberFactory()
    mine.moderators.add(catmod)
    services.pin_topic(
        topic=make_topic(category=mine, title="In mine"), actor=moderator, pinned=True
    )
    services.pin_topic(
        topic=make_topic(category=theirs, title="In theirs"), actor=moderator, pinned=True
    )
    client.force_login(catmod)
    page = client.get("/mod/log/").text
    assert "In mine" in page and "In theirs" not in page


def test_members_have_no_log_page(client, member):
    client.force_login(member)
    assert client.get("/mod/log/").status_code == 404


def test_the_log_pages_back_through_older_lines(client, moderator, settings):
    topic = make_topic()
    for index in range(55):
        services.pin_topic(topic=topic, actor=moderator, pinned=index % 2 == 0)
    client.force_login(moderator)
    page = client.get("/mod/log/").text
    assert page.count('class="log-line') == 50 and "Older actions" in page
    oldest_shown = ModerationLog.objects.order_by("-pk")[49].pk
    older = client.get(f"/mod/log/?before={oldest_shown}").text
    assert older.count('class="log-line') == 5 and "Older actions" not in older


def test_the_site_offers_no_change_or_delete_of_a_line(client, moderator):
    services.pin_topic(topic=make_topic(), actor=moderator, pinned=True)
    line = ModerationLog.objects.get()
    client.force_login(moderator)
    assert client.post(f"/admin/moderation/moderationlog/{line.pk}/delete/", {"post": "yes"})
    assert client.post("/mod/log/", {"action": "x"}).status_code == 405
    assert ModerationLog.objects.filter(pk=line.pk).exists()
