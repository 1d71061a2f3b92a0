from urllib.parse import parse_qs, urlparse

from django.db import transaction
from django.utils import timezone

from folkmoot.discussions import lifecycle
from folkmoot.discussions.models import Post
from folkmoot.guests.models import GuestPost
from folkmoot.mail.models import OutboxEmail
from tests.accounts.test_signup import sign_up
from tests.guests import guest_reply


def test_the_reply_box_invites_guests_to_post_now_and_register_later(client, topic):
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "Join the conversation" in page
    assert (
        "You can post now and register later. If you have an account, "
        f'<a href="/accounts/login/?next={topic.get_absolute_url()}">sign in now</a> '
        "to post with your account."
    ) in page
    assert 'placeholder="Reply to this topic..."' in page
    assert "<strong>Guest</strong>" in page
    assert 'name="email"' in page and 'name="website"' in page and 'name="altcha"' in page


def test_a_guest_reply_is_saved_pending_and_leads_to_sign_up_with_the_email(
    client, topic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = guest_reply(client, topic, body="Hello from a guest", email="Ann@Example.net")
    assert response.status_code == 302
    target = urlparse(response.url)
    assert target.path == "/accounts/signup/"
    assert parse_qs(target.query)["email"] == ["Ann@Example.net"]
    post = Post.objects.get(body="Hello from a guest")
    assert parse_qs(target.query)["next"] == [f"/guests/posted/{post.pk}/"]

    assert post.status == Post.Status.PENDING
    assert post.number is None and post.author is None
    guest = GuestPost.objects.get(post=post)
    assert (guest.email, guest.display_name, guest.ip_address) == (
        "Ann@Example.net",
        "Wanderer",
        "127.0.0.1",
    )
    assert guest.claim_token

    signup_page = client.get(response.url).content.decode()
    assert 'value="Ann@Example.net"' in signup_page
    assert 'value="wanderer"' in signup_page  # the display name, suggested as a username
    assert "This post will appear once you finish registering." in signup_page
    assert "Hello from a guest" in signup_page


def test_the_guest_sees_the_pending_post_in_place_with_a_banner(client, topic):
    guest_reply(client, topic, body="Only I can see this yet")
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "This post will appear once you finish registering." in page
    assert "Only I can see this yet" in page


def test_the_guest_is_emailed_a_link_to_finish_registering(
    client, topic, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        guest_reply(client, topic, email="mailme@example.net")
    [link] = mailbox.links_to("mailme@example.net")
    guest = GuestPost.objects.get()
    assert link == f"http://testserver/guests/finish/{guest.claim_token}/"
    response = client.get(urlparse(link).path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/signup/?email=mailme%40example.net")


def test_signing_up_and_confirming_the_email_publishes_the_post_under_the_new_account(
    client, topic, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        guest_reply(client, topic, body="Published after sign-up", email="newbie@example.net")
    sign_up(client, username="newbie", email="newbie@example.net")
    assert Post.objects.get(body="Published after sign-up").status == Post.Status.PENDING

    # One email: the guest's finish link confirms the address in the browser that signed up.
    [confirm] = [u for u in mailbox.links_to("newbie@example.net") if "/guests/finish/" in u]
    assert len(mailbox.to("newbie@example.net")) == 1
    confirmed = client.post(urlparse(confirm).path)
    # Signed in by confirming, the new member is shown the post and publishes it.
    assert confirmed.url.startswith("/accounts/waiting-posts/")
    pending = Post.objects.get(body="Published after sign-up")
    assert pending.status == Post.Status.PENDING
    assert "Published after sign-up" in client.get(confirmed.url).content.decode()
    client.post("/accounts/waiting-posts/publish/", {"post": pending.pk})

    post = Post.objects.select_related("author").get(body="Published after sign-up")
    assert post.status == Post.Status.PUBLISHED
    assert post.author.username == "newbie"
    assert post.number == 2  # numbered at publication
    topic.refresh_from_db()
    assert topic.post_count == 2
    assert post.author.post_count == 1
    client.logout()
    assert "Published after sign-up" in client.get(topic.get_absolute_url()).content.decode()


def test_after_registering_the_guest_lands_on_the_published_post(client, topic):
    response = guest_reply(client, topic, body="Where do I land")
    post = Post.objects.get(body="Where do I land")
    next_url = parse_qs(urlparse(response.url).query)["next"][0]
    pending = client.get(next_url)
    assert pending.url == f"{topic.get_absolute_url()}?page=999999#post-pending-{post.pk}"
    with transaction.atomic():
        lifecycle.publish(post, author=None, at=timezone.now())
    assert client.get(next_url).url == f"/p/{post.pk}/"


def test_another_browser_cannot_follow_a_pending_posts_landing_link(client, topic, client_factory):
    guest_reply(client, topic, body="Not for strangers")
    post = Post.objects.get(body="Not for strangers")
    assert client_factory().get(f"/guests/posted/{post.pk}/").status_code == 404


def test_a_mail_server_outage_does_not_lose_the_guests_post_or_its_email(
    settings, client, topic, mailbox, django_capture_on_commit_callbacks
):
    from tests.conftest import send_queued_emails, use_smtp_server
    from tests.smtp import free_port

    working_port = settings.EMAIL_PORT
    use_smtp_server(settings, free_port())  # nobody listens
    with django_capture_on_commit_callbacks(execute=True):
        response = guest_reply(client, topic, body="Saved despite the outage", email="o@x.net")
    assert response.status_code == 302
    assert Post.objects.get(body="Saved despite the outage").status == Post.Status.PENDING
    send_queued_emails()  # the worker's first attempt fails; it will try again
    assert OutboxEmail.objects.get().attempts == 1
    assert mailbox.received == []

    use_smtp_server(settings, working_port)  # the mail server is back
    assert len(mailbox.to("o@x.net")) == 1
