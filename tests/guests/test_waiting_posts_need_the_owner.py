"""A guest can type anyone's address. Nothing is published under an account until its signed-in
owner, with that address verified, says so on the waiting-posts page."""

from urllib.parse import urlparse

from allauth.account.signals import user_logged_in

from folkmoot.discussions.models import Post
from folkmoot.guests.models import GuestPost
from tests.factories import PASSWORD, MemberFactory
from tests.guests import guest_reply


def sign_in(client, member):
    return client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})


def test_a_guest_using_the_admins_address_publishes_nothing_without_the_admins_click(
    client, topic, client_factory
):
    admin = MemberFactory(is_staff=True, is_superuser=True)
    guest_reply(client, topic, body="Posted as the admin, I hope", email=admin.email.upper())
    post = Post.objects.get(body="Posted as the admin, I hope")

    # The admin signs in, in their own browser: nothing is published...
    browser = client_factory()
    response = sign_in(browser, admin)
    post.refresh_from_db()
    assert post.status == Post.Status.PENDING and post.author is None
    # ...they are shown the post instead, with who and where.
    assert response.status_code == 302
    assert response.url.startswith("/accounts/waiting-posts/")
    page = browser.get(response.url).content.decode()
    assert "You have 1 post waiting from a guest using your address." in page
    assert topic.title in page and "Posted as the admin, I hope" in page
    assert "Wanderer" in page  # the guest's display name
    assert 'name="csrfmiddlewaretoken"' in page

    # Signing out and in again, visiting pages: still nothing published.
    browser.post("/accounts/logout/")
    sign_in(browser, admin)
    browser.get(topic.get_absolute_url())
    post.refresh_from_db()
    assert post.status == Post.Status.PENDING
    assert (
        "Posted as the admin" not in client_factory().get(topic.get_absolute_url()).content.decode()
    )
    admin.refresh_from_db()
    assert admin.post_count == 0


def test_the_owner_publishes_a_waiting_post_with_one_click(client, topic, other_member):
    guest_reply(client, topic, body="Written before signing in", email=other_member.email)
    post = Post.objects.get(body="Written before signing in")
    sign_in(client, other_member)

    response = client.post("/accounts/waiting-posts/publish/", {"post": post.pk})
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert post.author == other_member
    assert post.number == 2
    other_member.refresh_from_db()
    assert other_member.post_count == 1
    assert client.get(response.url, follow=True).redirect_chain[-1][0].endswith("#post-2")


def test_discarding_deletes_the_waiting_post(client, topic, other_member):
    guest_reply(client, topic, body="Not mine, throw it away", email=other_member.email)
    post = Post.objects.get(body="Not mine, throw it away")
    sign_in(client, other_member)
    response = client.post("/accounts/waiting-posts/discard/", {"post": post.pk})
    assert response.status_code == 302
    assert not Post.objects.filter(pk=post.pk).exists()
    assert not GuestPost.objects.exists()
    assert "No posts from guests are waiting for you." in client.get(response.url).content.decode()
    topic.refresh_from_db()
    assert topic.post_count == 1


def test_publish_all_and_discard_all(client, topic, other_member, client_factory):
    for body in ("First of three", "Second of three", "Third of three"):
        guest_reply(client, topic, body=body, email=other_member.email)
    owner = client_factory()
    sign_in(owner, other_member)
    page = owner.get("/accounts/waiting-posts/").content.decode()
    assert "You have 3 posts waiting from a guest using your address." in page
    assert "Publish all" in page and "Discard all" in page

    first = Post.objects.get(body="First of three")
    owner.post("/accounts/waiting-posts/discard/", {"post": first.pk})
    owner.post("/accounts/waiting-posts/publish/", {"all": "1"})
    assert not Post.objects.filter(pk=first.pk).exists()
    assert set(Post.objects.filter(body__endswith="of three").values_list("status", flat=True)) == {
        "published"
    }

    guest_reply(client, topic, body="Fourth, discarded with all", email=other_member.email)
    owner.post("/accounts/waiting-posts/discard/", {"all": "1"})
    assert not Post.objects.filter(body__startswith="Fourth").exists()


def test_nobody_else_can_publish_or_discard_someone_elses_waiting_post(
    client, topic, member, other_member, client_factory
):
    guest_reply(client, topic, body="Waiting for other_member", email=other_member.email)
    post = Post.objects.get(body="Waiting for other_member")
    stranger = client_factory()
    sign_in(stranger, member)
    assert (
        "Waiting for other_member" not in stranger.get("/accounts/waiting-posts/").content.decode()
    )
    stranger.post("/accounts/waiting-posts/publish/", {"post": post.pk})
    stranger.post("/accounts/waiting-posts/discard/", {"post": post.pk})
    post.refresh_from_db()
    assert post.status == Post.Status.PENDING and post.author is None
    # Anonymous: sent to sign in; GET never acts.
    anonymous = client_factory()
    assert anonymous.post("/accounts/waiting-posts/publish/", {"all": "1"}).status_code == 302
    owner = client_factory()
    sign_in(owner, other_member)
    assert owner.get("/accounts/waiting-posts/publish/").status_code == 405
    post.refresh_from_db()
    assert post.status == Post.Status.PENDING


def test_publishing_needs_the_csrf_token(topic, other_member, client_factory):
    from django.test import Client

    guest_reply(client_factory(), topic, body="Needs a token", email=other_member.email)
    post = Post.objects.get(body="Needs a token")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(other_member)
    assert browser.post("/accounts/waiting-posts/publish/", {"post": post.pk}).status_code == 403
    post.refresh_from_db()
    assert post.status == Post.Status.PENDING


def test_an_unverified_address_shows_and_publishes_nothing(client, topic, other_member):
    other_member.emailaddress_set.update(verified=False)
    guest_reply(client, topic, body="Not yours to claim", email=other_member.email)
    post = Post.objects.get(body="Not yours to claim")
    client.force_login(other_member)
    user_logged_in.send(sender=type(other_member), request=None, user=other_member)
    assert "Not yours to claim" not in client.get("/accounts/waiting-posts/").content.decode()
    client.post("/accounts/waiting-posts/publish/", {"all": "1"})
    client.post("/accounts/waiting-posts/publish/", {"post": post.pk})
    assert Post.objects.get(body="Not yours to claim").status == Post.Status.PENDING


def test_publishing_twice_publishes_once(client, topic, other_member):
    guest_reply(client, topic, body="Only once please", email=other_member.email)
    post = Post.objects.get(body="Only once please")
    sign_in(client, other_member)
    for _ in range(2):
        client.post("/accounts/waiting-posts/publish/", {"post": post.pk})
    assert Post.objects.filter(body="Only once please", status="published").count() == 1
    topic.refresh_from_db()
    assert topic.post_count == 2


def test_the_email_link_brings_a_member_to_the_waiting_posts_after_sign_in(
    client, topic, other_member, mailbox, client_factory
):
    guest_reply(client, topic, body="Mailed to a member", email=other_member.email)
    [mail] = mailbox.to(other_member.email)
    text = mailbox.text(mail)
    # Only the owner of the address reads this, so it may say they have an account.
    assert "Sign in to publish" in text
    [link] = mailbox.links_to(other_member.email)
    owner = client_factory()
    response = owner.get(urlparse(link).path)
    assert response.url.startswith("/accounts/login/?email=")
    next_url = "/accounts/waiting-posts/"
    assert "next=%2Faccounts%2Fwaiting-posts%2F" in response.url
    signed_in = owner.post(response.url, {"login": other_member.email, "password": PASSWORD})
    assert signed_in.url == next_url
    assert owner.get(urlparse(link).path).url == next_url
    assert "Mailed to a member" in owner.get(next_url).content.decode()


def test_signing_in_without_waiting_posts_goes_where_it_went(client, other_member):
    response = sign_in(client, other_member)
    assert response.url == "/"
