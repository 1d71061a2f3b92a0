import json
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from folkmoot.composer.models import Draft
from folkmoot.composer.services import remove_expired_drafts


def put(client, place, body, seq):
    return client.put(
        f"/drafts/{place}/", json.dumps({"body": body, "seq": seq}), "application/json"
    )


def test_a_member_saves_a_draft_and_gets_it_back_on_another_device(client, member, topic):
    client.force_login(member)
    assert put(client, f"topic-{topic.pk}", "Half a thought", 0).json() == {"seq": 1}
    assert put(client, f"topic-{topic.pk}", "A whole thought", 1).json() == {"seq": 2}

    other_device = Client()
    other_device.force_login(member)
    saved = other_device.get(f"/drafts/topic-{topic.pk}/")
    assert saved.json() == {"body": "A whole thought", "seq": 2}


def test_a_save_from_a_stale_tab_is_refused_and_keeps_the_newer_text(member_client, topic):
    place = f"topic-{topic.pk}"
    put(member_client, place, "Written in tab one", 0)
    put(member_client, place, "Newer text from tab one", 1)
    stale = put(member_client, place, "Old text from tab two", 1)
    assert stale.status_code == 409
    assert "changed in another window" in stale.json()["error"]
    assert member_client.get(f"/drafts/{place}/").json()["body"] == "Newer text from tab one"


def test_clearing_the_draft_deletes_it(member_client, topic):
    place = f"topic-{topic.pk}"
    put(member_client, place, "Throw this away", 0)
    assert member_client.delete(f"/drafts/{place}/").status_code == 204
    assert member_client.get(f"/drafts/{place}/").status_code == 404


def test_posting_the_reply_deletes_the_draft(member_client, topic):
    place = f"topic-{topic.pk}"
    put(member_client, place, "My reply", 0)
    member_client.post(f"/t/{topic.pk}-{topic.slug}/reply/", {"body": "My reply"})
    assert member_client.get(f"/drafts/{place}/").status_code == 404


def test_drafts_belong_to_their_author(client, member, other_member, topic):
    client.force_login(member)
    put(client, f"topic-{topic.pk}", "Private words", 0)
    client.force_login(other_member)
    assert client.get(f"/drafts/topic-{topic.pk}/").status_code == 404


def test_guests_have_no_server_drafts(client, topic):
    assert client.get(f"/drafts/topic-{topic.pk}/").status_code == 403
    assert put(client, f"topic-{topic.pk}", "x", 0).status_code == 403


def test_old_drafts_expire(member_client, member, topic, settings):
    place = f"topic-{topic.pk}"
    put(member_client, place, "Forgotten", 0)
    days = settings.FOLKMOOT["DRAFT_EXPIRY_DAYS"]
    Draft.objects.update(updated_at=timezone.now() - timedelta(days=days + 1))
    assert member_client.get(f"/drafts/{place}/").status_code == 404
    assert remove_expired_drafts() == 1
    assert not Draft.objects.exists()


def test_saving_a_draft_needs_the_csrf_token(member, topic):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    assert put(strict, f"topic-{topic.pk}", "Forged", 0).status_code == 403
    assert not Draft.objects.exists()


def test_malformed_draft_saves_get_a_clear_error(member_client, topic):
    response = member_client.put(f"/drafts/topic-{topic.pk}/", "not json", "application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]
