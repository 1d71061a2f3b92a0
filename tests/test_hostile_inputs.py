"""Every GET parameter and JSON field the page, draft and moderation views read, fed a battery of
hostile values: whatever comes back, it is never a 5xx."""

import json

import pytest

from folkmoot.discussions import services
from tests.factories import CategoryFactory, MemberFactory, make_topic

HOSTILE_STRINGS = [
    "",
    " ",
    "²",
    "٣",
    "१",
    "１",
    "𝟙",
    "Ⅻ",
    "9" * 4301,
    "-" + "9" * 4301,
    "1e999",
    "-1e999",
    "NaN",
    "Infinity",
    "-0",
    "0",
    "00",
    "0x1F",
    "1_000",
    " 1",
    "+1",
    "1.5",
    "\x00",
    "1\x00",
    "\x00" * 100,
    "%00",
    "\r\n",
    "\u202e1",
    "x" * 100_001,
    "[]",
    "{}",
    "null",
    "true",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
]

HOSTILE_JSON_VALUES = [
    *HOSTILE_STRINGS,
    "half \ud800 pair",
    None,
    True,
    False,
    0,
    -1,
    2**31,
    2**63,
    10**30,
    1.5,
    float("inf"),
    float("-inf"),
    float("nan"),
    [],
    {},
    ["x"],
    {"body": "x"},
    "x" * 200_000,
]

HOSTILE_DOCUMENTS = [
    "",
    "not json",
    "null",
    "[]",
    '"x"',
    "1e999",
    "[" * 100_000 + "]" * 100_000,
    '{"a":' * 50_000 + "1" + "}" * 50_000,
    '{"body": "x", "seq": ' + "9" * 5000 + "}",
    '{"body": "x", "seq": 0, "seq": 1e999}',
    '{"body": "\\u0000", "seq": 0}',
    '{"body": "\\ud800", "seq": 0}',
    "\x00",
    b"\xff\xfe\x00\x00",
    b"\xed\xa0\x80",
]


def no_server_error(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"


@pytest.fixture
def forum(db):
    category = CategoryFactory(moderate_new_members=True)
    topic = make_topic(category=category, author=MemberFactory(is_staff=True), replies=3)
    return category, topic


def test_page_numbers_take_any_value_without_a_server_error(client, member, forum):
    category, topic = forum
    signed_in = client.__class__()
    signed_in.force_login(member)
    for browser in (client, signed_in):
        for value in HOSTILE_STRINGS:
            for url in (
                topic.get_absolute_url(),
                f"/t/{topic.pk}-wrong-slug/",
                category.get_absolute_url(),
            ):
                no_server_error(browser.get(url, {"page": value}), f"{url}?page={value!r:.40}")


def test_draft_fields_take_any_value_without_a_server_error(member_client, forum):
    _, topic = forum
    url = f"/drafts/topic-{topic.pk}/"
    for value in HOSTILE_JSON_VALUES:
        for payload in ({"body": value, "seq": 0}, {"body": "text", "seq": value}):
            response = member_client.put(url, json.dumps(payload), "application/json")
            no_server_error(response, f"PUT draft {payload!r:.60}")
        member_client.delete(url)
    for document in HOSTILE_DOCUMENTS:
        response = member_client.put(url, document, "application/json")
        no_server_error(response, f"PUT draft document {document!r:.40}")
        form = member_client.put(url, document, "application/x-www-form-urlencoded")
        no_server_error(form, f"PUT draft form {document!r:.40}")
    for place in ("topic-" + "9" * 100, "topic-99999999999999999", "post-0", "category-1"):
        for method in ("get", "delete"):
            no_server_error(getattr(member_client, method)(f"/drafts/{place}/"), place)
        response = member_client.put(
            f"/drafts/{place}/", json.dumps({"body": "x", "seq": 0}), "application/json"
        )
        no_server_error(response, f"PUT /drafts/{place}/")


def test_reject_reasons_take_any_value_without_a_server_error(moderator_client, forum, member):
    _, topic = forum
    for value in HOSTILE_STRINGS:
        held = services.reply(topic=topic, author=MemberFactory(), body=f"Held {len(value)}")
        response = moderator_client.post(f"/mod/queue/{held.pk}/reject/", {"reason": value})
        no_server_error(response, f"reject reason {value!r:.40}")
