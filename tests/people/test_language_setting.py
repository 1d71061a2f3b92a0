"""A member chooses the language of their pages and emails on the settings page: one of the
site's languages, each offered in its own name, or the site's (blank)."""

from folkmoot.accounts.models import User
from tests.german import read_in_german


def test_a_member_chooses_german_and_back_the_site_s_language(client, member):
    client.force_login(member)
    page = client.get("/settings/").text
    assert '<option value="de" lang="de">Deutsch</option>' in page
    assert '<option value="">The site’s language</option>' in page
    form = {"display_name": "", "signature": "", "time_zone": "", "theme": "system"}
    assert client.post("/settings/", {**form, "language": "de"}).status_code == 302
    assert User.objects.get(pk=member.pk).language == "de"
    assert client.post("/settings/", {**form, "language": ""}).status_code == 302
    assert User.objects.get(pk=member.pk).language == ""


def test_a_language_the_site_does_not_offer_is_refused_and_nothing_saved(client, member):
    client.force_login(member)
    form = {"display_name": "Renamed", "signature": "", "time_zone": "", "theme": "system"}
    response = client.post("/settings/", {**form, "language": "xx"})
    assert response.status_code == 400
    assert "Choose a language from the list." in response.text
    saved = User.objects.get(pk=member.pk)
    assert (saved.language, saved.chosen_name) == ("", "")


def test_the_settings_page_reads_in_german(client, member):
    client.force_login(member)
    page = read_in_german(client, member, "/settings/")
    assert "<h1>Kontoeinstellungen</h1>" in page
    assert "Sprache" in page and "Zeitzone" in page and "Wie mein Gerät" in page
    assert '<option value="de" lang="de" selected>Deutsch</option>' in page
    assert "Einstellungen speichern" in page


def test_a_refused_setting_is_explained_in_german(client, member):
    member.language = "de"
    member.save(update_fields=["language"])
    client.force_login(member)
    response = client.post(
        "/settings/",
        {
            "display_name": "x" * 51,
            "signature": "",
            "time_zone": "",
            "theme": "system",
            "language": "de",
        },
    )
    assert response.status_code == 400
    assert "Höchstens 50 Zeichen." in response.text
    assert "Nichts wurde gespeichert" in response.text
