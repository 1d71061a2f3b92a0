"""Helpers for tests that post as a guest: solve the anti-bot check as the browser would."""

from folkmoot.moderation import antibot


def solved_check(client) -> str:
    """Fetch a challenge from the site and solve it, like static/folkmoot/guest-pow.js."""
    return antibot.solve_for_tests(client.get("/guests/challenge/").json())


def guest_reply(client, topic, *, body="A reply from a guest", email="guest@example.net", **fields):
    data = {
        "body": body,
        "email": email,
        "display_name": "Wanderer",
        "website": "",
        "altcha": solved_check(client),
        **fields,
    }
    return client.post(f"/t/{topic.pk}-{topic.slug}/reply/", data)
