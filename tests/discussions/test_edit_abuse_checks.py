"""An edit passes the checks a new post passes, or it is the way round them: post "hello",
then edit in the spam."""

from django.db import transaction

from folkmoot.discussions import lifecycle, services
from folkmoot.discussions.models import Post
from folkmoot.moderation.models import Ban, QueuedPost
from tests.conftest import set_limits
from tests.factories import CategoryFactory, MemberFactory, make_topic

TEN_LINKS = "\n".join(f"- https://spam.example/{n}" for n in range(10))


def _edit(client, post, body, **extra):
    return client.post(f"/p/{post.pk}/edit/", {"body": body}, **extra)


def _hello(client, topic) -> Post:
    assert client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "hello"}).status_code == 302
    return Post.objects.get(body="hello")


def test_a_new_member_cannot_edit_ten_links_into_a_post(member_client, topic):
    post = _hello(member_client, topic)
    response = _edit(member_client, post, TEN_LINKS)
    assert response.status_code == 400
    page = response.content.decode()
    assert "New members can include at most 2 links" in page
    assert "(this one has 10)" in page
    assert "https://spam.example/9</textarea>" in page
    post.refresh_from_db()
    assert post.body == "hello"


def test_remote_images_count_as_links_in_posts_and_edits(settings, member_client, topic):
    set_limits(settings, NEW_MEMBER_MAX_LINKS=1)
    images = "![a](https://tracker.example/a.png) ![b](//tracker.example/b.png)"
    response = member_client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": images})
    assert response.status_code == 400
    assert "(this one has 2)" in response.content.decode()

    post = _hello(member_client, topic)
    response = _edit(member_client, post, images)
    assert response.status_code == 400
    assert "(this one has 2)" in response.content.decode()


def test_an_uploaded_image_is_not_a_link(settings, member_client, topic):
    set_limits(settings, NEW_MEMBER_MAX_LINKS=0)
    post = _hello(member_client, topic)
    assert _edit(member_client, post, "![photo](/media/uploads/photo.webp)").status_code == 302


def test_a_veteran_may_edit_links_in(member_client, member, topic):
    post = _hello(member_client, topic)
    member.post_count = 50
    member.save(update_fields=["post_count"])
    assert _edit(member_client, post, TEN_LINKS).status_code == 302


def test_a_banned_address_cannot_edit(member_client, member, topic):
    post = _hello(member_client, topic)
    Ban.objects.create(email=member.email.upper())
    response = _edit(member_client, post, "Now with spam")
    assert response.status_code == 400
    assert "Posts from this address are not accepted here." in response.content.decode()
    post.refresh_from_db()
    assert post.body == "hello"


def test_a_banned_network_cannot_edit(member_client, topic):
    post = _hello(member_client, topic)
    Ban.objects.create(ip_network="192.0.2.0/24")
    response = _edit(member_client, post, "From a banned range", REMOTE_ADDR="::ffff:192.0.2.1")
    assert response.status_code == 400
    post.refresh_from_db()
    assert post.body == "hello"


def test_a_held_new_member_cannot_edit_an_approved_post(member, client_factory, db):
    held = make_topic(
        category=CategoryFactory(moderate_new_members=True),
        author=MemberFactory(is_staff=True),
    )
    post = services.reply(topic=held, author=member, body="hello")
    with transaction.atomic():
        assert lifecycle.approve(post)  # as a moderator's approval does
    client = client_factory()
    client.force_login(member)
    response = _edit(client, post, "Something no moderator has seen")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Moderators review new members&#x27; posts in" in page
    assert "once you have 3 published posts" in page
    assert "Something no moderator has seen</textarea>" in page
    post.refresh_from_db()
    assert post.body == "hello"


def test_a_held_new_member_may_edit_a_post_still_waiting_for_approval(member, client_factory, db):
    held = make_topic(
        category=CategoryFactory(moderate_new_members=True),
        author=MemberFactory(is_staff=True),
    )
    post = services.reply(topic=held, author=member, body="hello")
    assert post.status == Post.Status.PENDING
    client = client_factory()
    client.force_login(member)
    assert _edit(client, post, "hello, with a typo fixed").status_code == 302
    post.refresh_from_db()
    assert post.body == "hello, with a typo fixed"
    assert QueuedPost.objects.filter(post=post).exists()  # still for the moderator to see


def test_a_moderator_may_edit_links_into_a_new_members_post(member, topic):
    post = services.reply(topic=topic, author=member, body="hello")
    services.edit_post(post=post, editor=MemberFactory(is_staff=True), body=TEN_LINKS)
    post.refresh_from_db()
    assert post.body == TEN_LINKS
