"""The waiting-posts page, for a member who reads German."""

from tests.german import read_in_german
from tests.guests import guest_reply


def test_a_member_reads_their_waiting_guest_posts_in_german(client, topic, other_member):
    guest_reply(client, topic, body="Vor der Anmeldung geschrieben", email=other_member.email)
    client.force_login(other_member)
    page = read_in_german(client, other_member, "/accounts/waiting-posts/")
    assert "<h1>Beiträge, die auf dich warten</h1>" in page
    assert "Auf dich wartet 1 Beitrag, den ein Gast mit deiner Adresse geschrieben hat." in page
    assert "Veröffentlichen" in page and "Verwerfen" in page
    assert "Vor der Anmeldung geschrieben" in page
