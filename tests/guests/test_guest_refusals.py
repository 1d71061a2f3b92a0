"""Bad input from guests: each gets a clear refusal and the text comes back in the form."""

import base64
import json

from folkmoot.discussions.models import Post
from tests.conftest import set_limits
from tests.factories import CategoryFactory, make_topic
from tests.guests import guest_reply, solved_check


def _refused(response, message: str, body: str = "A reply from a guest") -> str:
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f"{body}</textarea>" in page
    assert not Post.objects.filter(status="pending").exists()
    return page


def test_an_invalid_email_is_refused(client, topic):
    page = _refused(guest_reply(client, topic, email="not-an-email"), "Enter a valid email address")
    assert 'value="not-an-email"' in page


def test_a_missing_email_is_refused(client, topic):
    _refused(guest_reply(client, topic, email=""), "Enter a valid email address")


def test_a_missing_anti_bot_check_is_refused(client, topic):
    _refused(guest_reply(client, topic, altcha=""), "The anti-bot check did not run")


def test_a_failed_anti_bot_check_is_refused(client, topic):
    payload = json.loads(base64.b64decode(solved_check(client)))
    payload["number"] += 1
    wrong = base64.b64encode(json.dumps(payload).encode()).decode()
    _refused(guest_reply(client, topic, altcha=wrong), "The anti-bot check did not pass")
    _refused(guest_reply(client, topic, altcha="garbage"), "The anti-bot check did not pass")


def test_a_replayed_anti_bot_check_is_refused(client, topic):
    solved = solved_check(client)
    assert guest_reply(client, topic, body="First", altcha=solved).status_code == 302
    response = guest_reply(client, topic, body="Second", altcha=solved, email="b@example.net")
    assert response.status_code == 400
    assert "This anti-bot check was already used" in response.content.decode()
    assert "Second</textarea>" in response.content.decode()


def test_an_expired_anti_bot_check_is_refused(settings, client, topic):
    set_limits(settings, ALTCHA_EXPIRES_SECONDS=-5)
    _refused(guest_reply(client, topic), "The anti-bot check expired")


def test_a_filled_honeypot_is_refused(client, topic):
    _refused(guest_reply(client, topic, website="http://spam.example"), "looks automated")


def test_a_category_closed_to_guests_shows_no_guest_form_and_refuses_posts(client, db):
    topic = make_topic(category=CategoryFactory(guest_policy="none"))
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'name="email"' not in page
    assert "You can post now and register later" not in page
    response = guest_reply(client, topic)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert "Guests cannot reply in this category" in client.get(response.url).content.decode()
    assert not Post.objects.filter(status="pending").exists()


def test_a_locked_topic_takes_no_guest_replies(client, topic):
    topic.is_locked = True
    topic.save()
    assert 'name="email"' not in client.get(topic.get_absolute_url()).content.decode()
    guest_reply(client, topic)
    assert not Post.objects.filter(status="pending").exists()


def test_an_over_long_display_name_is_refused(client, topic):
    for name in ("x" * 61, "y" * 500):
        _refused(guest_reply(client, topic, display_name=name), "Display names can be at most 60")


def test_an_over_long_email_is_refused(client, topic):
    _refused(guest_reply(client, topic, email="a" * 64 + "@" + "b" * 250 + ".org"), "valid email")
