"""The guest form must not tell anyone whether an address belongs to a member (or a suspended
one, or staff): every address gets the same answer. Only the email to the address says more."""

import re
from urllib.parse import quote

import pytest

from folkmoot.discussions.models import Post
from tests.factories import MemberFactory
from tests.guests import guest_reply


def _normalized(text: str, email: str) -> str:
    once = quote(email, safe="")
    for form in (email, once, quote(once, safe="")):
        text = text.replace(form, "EMAIL")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
    return re.sub(r"(/|%2F|%252F)guests\1posted\1\d+\1", "POSTED", text)


def _answer(client_factory, topic, email: str) -> tuple[int, str, str]:
    browser = client_factory()
    response = guest_reply(browser, topic, body="The same words from everyone", email=email)
    page = browser.get(response.url).content.decode()
    return response.status_code, _normalized(response.url, email), _normalized(page, email)


@pytest.mark.parametrize("owner", ["member", "admin", "suspended", "unverified"])
def test_a_members_address_gets_the_same_answer_as_a_new_one(owner, topic, client_factory):
    member = MemberFactory(
        is_staff=owner == "admin",
        is_superuser=owner == "admin",
        is_active=owner != "suspended",
    )
    if owner == "unverified":
        member.emailaddress_set.update(verified=False)
    nobodys = _answer(client_factory, topic, "nobody.yet@example.net")
    members = _answer(client_factory, topic, member.email)

    assert members == nobodys
    status, url, page = members
    assert status == 302 and url.startswith("/accounts/signup/?email=EMAIL")
    assert "belongs to" not in page and "suspended" not in page
    # Both posts were taken, and wait alike.
    assert Post.objects.filter(body="The same words from everyone", status="pending").count() == 2
