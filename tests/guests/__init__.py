"""Helpers for tests that post as a guest: solve the anti-bot check as the browser would."""

from tests.antibot_solver import solve_for_tests


def solved_check(client) -> str:
    """Fetch a challenge from the site and solve it, like static/folkmoot/guest-pow.js."""
    return solve_for_tests(client.get("/guests/challenge/").json())


def _guest_fields(client, **fields) -> dict:
    return {"display_name": "Wanderer", "website": "", "altcha": solved_check(client), **fields}


def guest_reply(client, topic, *, body="A reply from a guest", email="guest@example.net", **fields):
    data = _guest_fields(client, body=body, email=email, **fields)
    return client.post(f"/t/{topic.pk}-{topic.slug}/reply/", data)


def guest_topic(client, category, *, title="A guest's question", body="Asked as a guest", **fields):
    data = _guest_fields(client, title=title, body=body, email="guest@example.net") | fields
    return client.post(f"/c/{category.pk}-{category.slug}/new/", data)
