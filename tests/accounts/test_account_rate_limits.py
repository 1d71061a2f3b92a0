"""Sign-in, sign-up, password reset and confirmation emails are rate-limited (allauth's
ACCOUNT_RATE_LIMITS, counted in Django's cache), through real requests."""

from allauth.account.models import EmailAddress

from tests.accounts.test_signup import sign_up
from tests.factories import PASSWORD, MemberFactory


def test_sign_in_attempts_from_one_address_are_limited_to_30_a_minute(client, db):
    member = MemberFactory()
    answers = [
        client.post("/accounts/login/", {"login": member.username, "password": "wrong"}).status_code
        for _ in range(30)
    ]
    assert set(answers) == {200}  # the form again, with its error
    assert client.post("/accounts/login/", {"login": "x", "password": "y"}).status_code == 429


def test_five_failed_sign_ins_lock_the_account_for_a_while_even_with_the_right_password(
    client, member, client_factory
):
    for _ in range(5):
        client.post("/accounts/login/", {"login": member.username, "password": "guess"})
    browser = client_factory()  # even from another browser
    response = browser.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in browser.session


def test_sign_ups_from_one_address_are_limited_to_10_a_minute(client, db, mailbox):
    for number in range(10):
        assert sign_up(client, username=f"n{number}", email=f"n{number}@x.org").status_code == 302
    response = sign_up(client, username="eleventh", email="eleventh@x.org")
    assert response.status_code == 429
    assert not EmailAddress.objects.filter(email="eleventh@x.org").exists()


def test_password_resets_for_one_address_are_limited_to_3_in_15_minutes(client, member, mailbox):
    for _ in range(3):
        assert client.post("/accounts/password/reset/", {"email": member.email}).status_code == 302
    response = client.post("/accounts/password/reset/", {"email": member.email})
    assert response.status_code == 429
    resets = [m for m in mailbox.to(member.email) if "reset" in mailbox.subject(m).lower()]
    assert len(resets) == 3


def test_password_resets_from_one_address_are_limited_to_10_a_minute(client, db, mailbox):
    for number in range(10):
        client.post("/accounts/password/reset/", {"email": f"r{number}@example.net"})
    response = client.post("/accounts/password/reset/", {"email": "r10@example.net"})
    assert response.status_code == 429


def test_confirmation_emails_go_out_at_most_once_in_3_minutes(client, db, mailbox):
    sign_up(client, username="unconfirmed", email="unconfirmed@example.org")
    for _ in range(3):  # each sign-in of an unverified account would send the link again
        client.post("/accounts/login/", {"login": "unconfirmed", "password": PASSWORD})
    confirmations = [u for u in mailbox.links_to("unconfirmed@example.org") if "confirm-email" in u]
    assert len(confirmations) == 1
