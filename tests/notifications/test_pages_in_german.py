"""The notification pages for a member who reads German."""

from folkmoot.discussions import services as discussions
from tests.factories import MemberFactory, make_topic
from tests.german import read_in_german
from tests.notifications.helpers import follow_topic, run_fan_out


def test_the_notification_list_reads_in_german(client, reader):
    topic = make_topic(title="Bake sale")
    follow_topic(reader, topic)
    discussions.reply(topic=topic, author=MemberFactory(username="baker"), body="Cakes!")
    run_fan_out()
    client.force_login(reader)
    page = read_in_german(client, reader, "/notifications/")
    assert "<h1>Benachrichtigungen</h1>" in page
    assert "Alle als gelesen markieren" in page
    assert "Antwort in einem Thema, dem du folgst" in page and "von baker" in page
    assert " her</time>" in page  # "0 Minuten her"


def test_followed_content_reads_in_german(client, reader):
    follow_topic(reader, make_topic(title="Bake sale"))
    client.force_login(reader)
    page = read_in_german(client, reader, "/followed/")
    assert "<h1>Gefolgte Inhalte</h1>" in page
    assert "Thema" in page and "Bake sale" in page
    assert "Sofort, auf der Seite und per E-Mail" in page
    assert "Nicht mehr folgen" in page


def test_notification_settings_read_in_german(client, reader):
    client.force_login(reader)
    page = read_in_german(client, reader, "/notifications/settings/")
    assert "<h1>Benachrichtigungseinstellungen</h1>" in page
    assert "Jemand hat dich erwähnt" in page and "Per E-Mail" in page
