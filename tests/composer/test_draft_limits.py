"""Drafts are held to a post's limits, out loud, and a member's drafts are capped."""

import json

import pytest
from django.conf import settings

from folkmoot.composer.models import Draft
from tests.conftest import set_limits


def put(client, place, payload):
    data = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.put(f"/drafts/{place}/", data, "application/json")


def test_an_over_long_draft_is_refused_clearly_not_cut(member_client, topic):
    place = f"topic-{topic.pk}"
    body = "x" * (settings.FOLKMOOT["POST_MAX_LENGTH"] + 1)
    response = put(member_client, place, {"body": body, "seq": 0})
    assert response.status_code == 413
    assert (
        f"at most {settings.FOLKMOOT['POST_MAX_LENGTH']:,} characters" in response.json()["error"]
    )
    assert not Draft.objects.exists()
    # Exactly at the limit is fine, and kept whole.
    body = "y" * settings.FOLKMOOT["POST_MAX_LENGTH"]
    assert put(member_client, place, {"body": body, "seq": 0}).status_code == 200
    assert member_client.get(f"/drafts/{place}/").json()["body"] == body


def test_a_draft_with_a_nul_character_is_refused(member_client, topic):
    response = put(member_client, f"topic-{topic.pk}", {"body": "before\x00after", "seq": 0})
    assert response.status_code == 400
    assert response.json()["error"] == "Null characters are not allowed."
    assert not Draft.objects.exists()


def test_a_draft_with_a_lone_surrogate_is_refused(member_client, topic):
    response = put(member_client, f"topic-{topic.pk}", '{"body": "half \\ud800 pair", "seq": 0}')
    assert response.status_code == 400
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        '{"body": "x", "seq": 1e999}',
        '{"body": "x", "seq": NaN}',
        '{"body": "x", "seq": 1.5}',
        '{"body": "x", "seq": "1"}',
        '{"body": "x", "seq": true}',
        '{"body": "x", "seq": -1}',
        '{"body": "x", "seq": 99999999999999999999999}',
        '{"body": "x", "seq": ' + "9" * 4301 + "}",
        '{"body": 12, "seq": 0}',
        '{"body": ["x"], "seq": 0}',
        '{"body": null, "seq": 0}',
        '{"seq": 0}',
        '["x", 0]',
        "null",
        '"x"',
        "[" * 100_000 + "]" * 100_000,
        '{"body": ' + "[" * 50_000 + "]" * 50_000 + ', "seq": 0}',
        b"\xff\xfe not utf-8",
    ],
)
def test_malformed_drafts_get_a_clear_400(member_client, topic, payload):
    response = put(member_client, f"topic-{topic.pk}", payload)
    assert response.status_code == 400
    assert response.json()["error"] == "Send JSON with body (text) and seq (a whole number)."
    assert not Draft.objects.exists()


def test_an_over_long_draft_key_is_not_found(member_client):
    place = "topic-" + "1" * 100
    assert put(member_client, place, {"body": "x", "seq": 0}).status_code == 404
    assert member_client.get(f"/drafts/{place}/").status_code == 404
    assert member_client.get("/drafts/topic-²/").status_code == 404
    assert not Draft.objects.exists()


def test_at_the_cap_a_new_draft_replaces_the_least_recently_saved(member_client, member, settings):
    set_limits(settings, DRAFTS_PER_MEMBER=3)
    for number in (1, 2, 3):
        saved = put(member_client, f"topic-{number}", {"body": f"draft {number}", "seq": 0})
        assert saved.status_code == 200
    # Touch the oldest, so the second is now the least recently saved.
    assert put(member_client, "topic-1", {"body": "draft 1, again", "seq": 1}).status_code == 200

    assert put(member_client, "topic-4", {"body": "draft 4", "seq": 0}).status_code == 200

    assert sorted(Draft.objects.filter(author=member).values_list("key", flat=True)) == [
        "topic-1",
        "topic-3",
        "topic-4",
    ]
    assert member_client.get("/drafts/topic-2/").status_code == 404
    assert member_client.get("/drafts/topic-1/").json()["body"] == "draft 1, again"


def test_the_cap_counts_each_members_drafts_alone(client_factory, member, other_member, settings):
    set_limits(settings, DRAFTS_PER_MEMBER=2)
    for author in (member, other_member):
        browser = client_factory()
        browser.force_login(author)
        for number in range(5):
            put(browser, f"post-{number}", {"body": "x", "seq": 0})
    assert Draft.objects.filter(author=member).count() == 2
    assert Draft.objects.filter(author=other_member).count() == 2
