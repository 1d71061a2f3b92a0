import pytest

from folkmoot.discussions.models import Post
from folkmoot.moderation.models import ModerationLog, QueuedPost
from tests.factories import CategoryFactory, MemberFactory, make_topic


@pytest.fixture
def held_category(db):
    return CategoryFactory(moderate_new_members=True)


@pytest.fixture
def held_topic(held_category):
    return make_topic(category=held_category, author=MemberFactory(is_staff=True))


@pytest.fixture
def newcomer_client(client_factory, other_member):
    newcomer = client_factory()
    newcomer.force_login(other_member)
    return newcomer


def _reply(client, topic, body):
    return client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": body})


def test_a_new_members_reply_waits_for_approval_and_they_see_it_marked(
    newcomer_client, held_topic, client_factory
):
    response = _reply(newcomer_client, held_topic, "Held for a moderator")
    post = Post.objects.get(body="Held for a moderator")
    assert post.status == Post.Status.PENDING
    assert QueuedPost.objects.get(post=post).reason == "new_member"
    page = newcomer_client.get(response.url).content.decode()
    assert "Your post is awaiting approval by a moderator." in page
    assert "Awaiting approval" in page and "Held for a moderator" in page
    assert (
        "Held for a moderator"
        not in client_factory().get(held_topic.get_absolute_url()).content.decode()
    )


def test_moderators_see_the_queue_with_author_ip_and_age(
    newcomer_client, held_topic, moderator_client, other_member
):
    _reply(newcomer_client, held_topic, "Please approve me")
    page = moderator_client.get("/mod/queue/").content.decode()
    assert "Please approve me" in page
    assert other_member.username in page
    assert "127.0.0.1" in page
    assert "minute" in page  # "0 minutes" waiting


def test_members_without_moderation_rights_get_404_for_the_queue(member_client):
    assert member_client.get("/mod/queue/").status_code == 404


def test_approving_publishes_logs_and_tells_the_author(
    newcomer_client,
    held_topic,
    moderator_client,
    moderator,
    other_member,
    mailbox,
    django_capture_on_commit_callbacks,
):
    _reply(newcomer_client, held_topic, "Approve this one")
    post = Post.objects.get(body="Approve this one")
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(f"/mod/queue/{post.pk}/approve/")
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and post.number == 2
    held_topic.refresh_from_db()
    assert held_topic.post_count == 2
    log = ModerationLog.objects.get()
    assert (log.action, log.post, log.moderator, log.author) == (
        "approve",
        post,
        moderator,
        other_member,
    )
    [mail] = mailbox.to(other_member.email)
    assert "is published" in mailbox.subject(mail)
    assert "Approve this one" not in moderator_client.get("/mod/queue/").content.decode()


def test_rejecting_hides_the_post_logs_and_tells_the_author_why(
    newcomer_client,
    held_topic,
    moderator_client,
    other_member,
    mailbox,
    django_capture_on_commit_callbacks,
):
    _reply(newcomer_client, held_topic, "Reject this one")
    post = Post.objects.get(body="Reject this one")
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(f"/mod/queue/{post.pk}/reject/", {"reason": "Off topic"})
    post.refresh_from_db()
    assert post.status == Post.Status.DELETED and post.number is None
    assert ModerationLog.objects.get().action == "reject"
    assert ModerationLog.objects.get().reason == "Off topic"
    [mail] = mailbox.to(other_member.email)
    assert "not approved" in mailbox.subject(mail)
    assert "Off topic" in mailbox.text(mail)
    held_topic.refresh_from_db()
    assert held_topic.post_count == 1


def test_a_category_moderator_moderates_only_their_categories(
    newcomer_client, held_topic, held_category, client_factory
):
    other_topic = make_topic(
        category=CategoryFactory(moderate_new_members=True), author=MemberFactory(is_staff=True)
    )
    _reply(newcomer_client, held_topic, "In their category")
    _reply(newcomer_client, other_topic, "In another category")
    category_moderator = MemberFactory()
    held_category.moderators.add(category_moderator)
    mod = client_factory()
    mod.force_login(category_moderator)

    page = mod.get("/mod/queue/").content.decode()
    assert "In their category" in page
    assert "In another category" not in page

    elsewhere = Post.objects.get(body="In another category")
    assert mod.post(f"/mod/queue/{elsewhere.pk}/approve/").status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Post.Status.PENDING
    mine = Post.objects.get(body="In their category")
    mod.post(f"/mod/queue/{mine.pk}/approve/")
    mine.refresh_from_db()
    assert mine.status == Post.Status.PUBLISHED


def test_members_past_their_first_posts_are_not_held(held_topic, client_factory):
    regular = MemberFactory(post_count=10)
    browser = client_factory()
    browser.force_login(regular)
    _reply(browser, held_topic, "Trusted by now")
    assert Post.objects.get(body="Trusted by now").status == Post.Status.PUBLISHED


def test_a_new_member_sees_their_post_awaiting_approval_on_another_device(
    newcomer_client, held_topic, client_factory, other_member
):
    _reply(newcomer_client, held_topic, "Held, seen from my phone")
    phone = client_factory()
    phone.force_login(other_member)
    page = phone.get(held_topic.get_absolute_url()).content.decode()
    assert "Awaiting approval" in page and "Held, seen from my phone" in page
