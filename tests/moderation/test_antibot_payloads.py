"""The proof-of-work payload comes from the client: whatever shape it has, a wrong one gets the
anti-bot refusal (HTTP 400, text kept), never an error page; a right one is accepted once."""

import base64
import json

import pytest
from django.core.cache import cache

from folkmoot.discussions.models import Post
from folkmoot.moderation.models import SpentProof
from tests.guests import guest_reply, solved_check


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _solved_with(client, **changes) -> str:
    payload = json.loads(base64.b64decode(solved_check(client)))
    payload.update(changes)
    return _b64(json.dumps(payload).encode())


@pytest.mark.parametrize(
    "payload",
    [
        _b64(b"5"),  # a JSON number
        _b64(b'"algorithm challenge number salt signature"'),  # a string holding the names
        _b64(b'["algorithm", "challenge", "number", "salt", "signature"]'),  # a list
        _b64(b"null"),
        _b64(b"true"),
        _b64(b"{}"),
        _b64(b"\xff\xfe not UTF-8"),
        _b64(b"{not json"),
        "!!!not base64!!!",
        "ünïcödé",
        "QUJD",  # base64 of "ABC"
        "QUJ",  # bad padding
        "A" * 1_000_000,  # a megabyte
        _b64(json.dumps({"x": "y" * 100_000}).encode()),
    ],
)
def test_a_payload_of_the_wrong_shape_gets_the_anti_bot_refusal(client, topic, payload):
    response = guest_reply(client, topic, body="Shaped wrong", altcha=payload)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The anti-bot check did not pass" in page
    assert "Shaped wrong</textarea>" in page
    assert not Post.objects.filter(body="Shaped wrong").exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"number": "123"},
        {"number": None},
        {"number": True},
        {"number": -1},
        {"number": 1e308},
        {"salt": 12},
        {"salt": ["a"]},
        {"algorithm": ["SHA-256"]},
        {"challenge": {"a": 1}},
        {"signature": None},
    ],
)
def test_a_solved_payload_with_a_field_of_the_wrong_type_is_refused(client, topic, changes):
    response = guest_reply(
        client, topic, body="Typed wrong", altcha=_solved_with(client, **changes)
    )
    assert response.status_code == 400
    assert "The anti-bot check did not pass" in response.content.decode()


def test_a_spent_proof_stays_spent_when_the_cache_is_emptied(client, topic):
    solved = solved_check(client)
    assert guest_reply(client, topic, body="First", altcha=solved).status_code == 302
    assert SpentProof.objects.count() == 1
    cache.clear()  # what eviction (allkeys-lru) or another process's own cache amounts to
    response = guest_reply(client, topic, body="Replayed", altcha=solved, email="r@example.net")
    assert response.status_code == 400
    assert "This anti-bot check was already used" in response.content.decode()
