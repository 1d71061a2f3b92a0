"""The members lookup behind the composer's @mention autocomplete: active members whose
username or display name starts with what was typed, a few at a time, one query, limited like
searches."""

from folkmoot.people.queries import LOOKUP_MAX
from tests.conftest import set_limits
from tests.factories import MemberFactory


def lookup(client, q: str):
    return client.get("/members/lookup/", {"q": q})


def test_members_are_found_by_the_start_of_their_username_or_display_name(client, db):
    MemberFactory(username="freya", chosen_name="Freya Holm")
    MemberFactory(username="fjord")
    MemberFactory(username="odin", chosen_name="Frey the Elder")
    MemberFactory(username="alfred")  # "fr" inside, not at the start
    members = lookup(client, "FR").json()["members"]
    assert [m["username"] for m in members] == ["freya", "odin"]
    assert members[0] == {
        "username": "freya",
        "name": "Freya Holm",
        "avatar": None,
        "initial": "F",
        "colour": members[0]["colour"],
    }
    assert [m["username"] for m in lookup(client, "@fj").json()["members"]] == ["fjord"]


def test_deactivated_members_are_not_offered(client, db):
    MemberFactory(username="gunnar", is_active=False)
    assert lookup(client, "gun").json()["members"] == []


def test_nothing_typed_finds_nobody_and_wildcards_are_plain_text(client, db):
    MemberFactory(username="sigrid")
    assert lookup(client, "").json()["members"] == []
    assert lookup(client, "%").json()["members"] == []
    assert lookup(client, "_igrid").json()["members"] == []


def test_a_lookup_is_one_query_whatever_the_number_of_matches(
    client, db, django_assert_num_queries
):
    for index in range(LOOKUP_MAX + 5):
        MemberFactory(username=f"halla{index}")
    # 1 the matching members (anonymous: no session to read).
    with django_assert_num_queries(1):
        members = lookup(client, "halla").json()["members"]
    assert len(members) == LOOKUP_MAX


def test_lookups_are_rate_limited(client, settings, db):
    set_limits(settings, SEARCHES_PER_MINUTE=2)
    MemberFactory(username="ragna")
    assert lookup(client, "r").status_code == 200
    assert lookup(client, "ra").status_code == 200
    refused = lookup(client, "rag")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["members"] == []
