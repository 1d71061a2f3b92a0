"""Nobody learns from the site's answers whether an address has an account: sign-up, password
reset and sign-in answer alike; only the email to the address says which it was."""

import re

from folkmoot.accounts.models import User
from tests.accounts.test_signup import sign_up
from tests.factories import PASSWORD


def _page(client, url: str, email: str) -> str:
    page = client.get(url).content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page)


def test_signing_up_with_a_members_address_answers_as_for_a_new_one(
    member, client_factory, mailbox
):
    new, taken = client_factory(), client_factory()
    fresh = sign_up(new, username="fresh", email="fresh@example.org")
    again = sign_up(taken, username="impostor", email=member.email)
    assert (again.status_code, again.url) == (fresh.status_code, fresh.url)
    assert _page(taken, again.url, member.email) == _page(new, fresh.url, "fresh@example.org")
    assert not User.objects.filter(username="impostor").exists()
    # The owner of the address is told, by email, that someone tried.
    [notice] = mailbox.to(member.email)
    assert "already" in mailbox.text(notice).lower()


def test_a_password_reset_answers_the_same_for_unknown_addresses(member, client_factory, mailbox):
    known, unknown = client_factory(), client_factory()
    for_member = known.post("/accounts/password/reset/", {"email": member.email})
    for_nobody = unknown.post("/accounts/password/reset/", {"email": "nobody@example.net"})
    assert (for_member.status_code, for_member.url) == (for_nobody.status_code, for_nobody.url)
    assert _page(known, for_member.url, member.email) == _page(
        unknown, for_nobody.url, "nobody@example.net"
    )
    assert "/password/reset/key/" in mailbox.text(mailbox.to(member.email)[0])
    assert "/password/reset/key/" not in mailbox.text(mailbox.to("nobody@example.net")[0])


def test_signing_in_says_the_same_for_an_unknown_account_and_a_wrong_password(
    member, client_factory
):
    def error(login):
        response = client_factory().post(
            "/accounts/login/", {"login": login, "password": "not it " + PASSWORD}
        )
        return re.findall(r"not correct[^<]*", response.content.decode())

    assert error(member.username) == error("nobody-by-this-name") != []
    assert error(member.email) == error("nobody@example.net") != []
