from urllib.parse import urlparse

from folkmoot.accounts.models import User
from tests.factories import PASSWORD


def sign_up(client, *, username="newcomer", email="newcomer@example.org"):
    return client.post(
        "/accounts/signup/",
        {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_signing_up_sends_a_verification_email_that_signs_the_member_in(client, db, mailbox):
    response = sign_up(client)
    assert response.status_code == 302
    assert User.objects.filter(username="newcomer").exists()
    # Mandatory verification: not signed in until the link is followed.
    assert "_auth_user_id" not in client.session

    [link] = [url for url in mailbox.links_to("newcomer@example.org") if "confirm-email" in url]
    path = urlparse(link).path
    assert client.get(path).status_code == 200
    confirmed = client.post(path)
    assert confirmed.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="newcomer").pk)


def test_an_unverified_member_cannot_sign_in(client, db, mailbox):
    sign_up(client, username="unverified", email="unverified@example.org")
    client.logout()
    response = client.post("/accounts/login/", {"login": "unverified", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert "confirm-email" in response.url


def test_password_reset_mails_a_working_link(client, member, mailbox):
    client.post("/accounts/password/reset/", {"email": member.email})
    [link] = [url for url in mailbox.links_to(member.email) if "/password/reset/key/" in url]
    form_page = client.get(urlparse(link).path, follow=True)
    assert form_page.status_code == 200
    new_password = "a much newer passphrase 42"
    client.post(
        form_page.request["PATH_INFO"],
        {"password1": new_password, "password2": new_password},
    )
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_signing_in_and_out(client, member):
    response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
