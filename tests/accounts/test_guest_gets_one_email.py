"""A guest who posts and then signs up with the same address gets one email, not two: the
finish link in the guest email confirms the address, in the browser that signed up. Publishing
stays the signed-in owner's own click on the waiting-posts page."""

from urllib.parse import urlparse

from allauth.account.models import EmailAddress

from folkmoot.discussions.models import Post
from tests.accounts.test_signup import sign_up
from tests.guests import guest_reply

ADDRESS = "wanderer@example.net"


def finish_path(mailbox) -> str:
    [link] = [url for url in mailbox.links_to(ADDRESS) if "/guests/finish/" in url]
    return urlparse(link).path


def test_a_guest_who_signs_up_gets_one_email_whose_link_confirms_the_address(
    client, topic, mailbox
):
    guest_reply(client, topic, body="My first words here", email=ADDRESS)
    assert sign_up(client, username="wanderer", email=ADDRESS).status_code == 302

    assert len(mailbox.to(ADDRESS)) == 1  # the guest email only, no allauth confirmation
    path = finish_path(mailbox)
    page = client.get(path)
    assert "Confirm and sign in" in page.text
    assert not EmailAddress.objects.get(email=ADDRESS).verified  # a GET changes nothing

    response = client.post(path)
    assert response.status_code == 302 and response.url == "/accounts/waiting-posts/"
    assert EmailAddress.objects.get(email=ADDRESS).verified
    assert client.session["_auth_user_id"]
    # Confirmed and signed in, but the post waits for its owner's own click.
    post = Post.objects.get(body="My first words here")
    assert post.status == Post.Status.PENDING
    client.post("/accounts/waiting-posts/publish/", {"post": post.pk})
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and post.author.username == "wanderer"
    assert len(mailbox.to(ADDRESS)) == 1


def test_the_link_confirms_nothing_in_another_browser(client, topic, mailbox, client_factory):
    # Someone signs up with an address that is not theirs, after posting as a guest with it.
    guest_reply(client, topic, body="Posted with someone else's address", email=ADDRESS)
    sign_up(client, username="impostor", email=ADDRESS)
    # The address's owner follows the link in their own browser: nothing is confirmed.
    owner = client_factory()
    path = finish_path(mailbox)
    response = owner.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    owner.post(path)
    assert not EmailAddress.objects.get(email=ADDRESS).verified
    assert "_auth_user_id" not in owner.session


def test_signing_up_without_a_waiting_guest_post_still_sends_the_confirmation(client, db, mailbox):
    sign_up(client, username="plain", email="plain@example.net")
    [email] = mailbox.to("plain@example.net")
    assert any("confirm-email" in url for url in mailbox.links_to("plain@example.net"))
