"""The scripts' German catalogue is complete, and its URL serves each language's catalogue,
cacheable, without touching the database."""

import ast
import gettext
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import reverse

from folkmoot import js_catalogue

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src/folkmoot/locale"
GERMAN_PO = LOCALE / "de/LC_MESSAGES/djangojs.po"
GERMAN_MO = LOCALE / "de/LC_MESSAGES/djangojs.mo"
# The scripts makemessages reads for the djangojs domain (the editor's sources and the site's
# scripts; not node_modules, the built bundle or the tests): frontend/README.md, "Words".
SCRIPTS = sorted(ROOT.glob("frontend/src/*.js")) + sorted(
    ROOT.glob("src/folkmoot/static/folkmoot/*.js")
)
PLACEHOLDER = re.compile(r"%\(\w+\)s|%s")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (header included, as msgid "")."""
    entries, entry, key = [], Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if key is not None:
                entries.append(entry)
            entry, key = Entry(), None
        elif line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if key == "msgid":
                entry.msgid += text
            elif key == "msgid_plural":
                entry.msgid_plural += text
            else:
                entry.msgstr[key] += text
        else:
            keyword, text = line.split(" ", 1)
            text = ast.literal_eval(text)
            if keyword in ("msgid", "msgid_plural"):
                key = keyword
                setattr(entry, keyword, text)
            else:
                key = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                entry.msgstr[key] = text
    return entries


def messages(path: Path) -> list[Entry]:
    return [entry for entry in read_po(path) if entry.msgid and not entry.obsolete]


def test_every_script_string_has_a_german_translation_with_the_same_placeholders():
    entries = messages(GERMAN_PO)
    assert len(entries) > 40
    for entry in entries:
        assert "fuzzy" not in entry.flags, entry.msgid
        forms = entry.msgstr.values()
        assert entry.msgstr and all(text.strip() for text in forms), entry.msgid
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in forms:
            assert sorted(PLACEHOLDER.findall(text)) == expected, (entry.msgid, text)
        if entry.msgid_plural:
            assert len(entry.msgstr) == 2, entry.msgid  # German: one and other


def test_the_german_catalogue_holds_every_string_the_scripts_mark():
    """What makemessages would extract today (xgettext with Django's JavaScript keywords) is
    all in the .po: a string marked since the last makemessages fails here."""
    extracted = subprocess.run(
        [
            "xgettext",
            "--language=JavaScript",
            "--from-code=UTF-8",
            "--output=-",
            "--keyword=gettext_noop",
            "--keyword=pgettext:1c,2",
            "--keyword=npgettext:1c,2,3",
            *map(str, SCRIPTS),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pot = GERMAN_PO.with_name("extracted.pot")
    try:
        pot.write_text(extracted, encoding="utf-8")
        marked = {entry.msgid for entry in messages(pot)}
    finally:
        pot.unlink()
    translated = {entry.msgid for entry in messages(GERMAN_PO)}
    assert marked - translated == set()
    assert translated - marked == set()  # nor one no script says any more
    assert {"Bold", "Only %(count)s emoji is allowed.", "%(count)s new reply: show"} <= marked


def test_the_compiled_catalogue_says_what_the_po_says():
    with GERMAN_MO.open("rb") as compiled:
        german = gettext.GNUTranslations(compiled)
    for entry in messages(GERMAN_PO):
        if entry.msgid_plural:
            assert german.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr[0]
            assert german.ngettext(entry.msgid, entry.msgid_plural, 5) == entry.msgstr[1]
        else:
            assert german.gettext(entry.msgid) == entry.msgstr[0]


def test_the_catalogue_url_answers_german_for_german_cacheable_and_without_queries(
    client, db, django_assert_num_queries
):
    url = reverse("js_catalogue", args=["de"])
    assert url == f"/jsi18n/{js_catalogue.catalogue_version()}/de.js"
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert '"Bold": "Fett"' in body
    assert (
        '"Only %(count)s emoji is allowed."' in body
        and "Nur %(count)s Emojis sind erlaubt." in body
    )
    assert "const v = (n != 1);" in body  # German plurals
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert not response.cookies
    # Asked again with its ETag: nothing to send.
    with django_assert_num_queries(0):
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_catalogue_url_answers_english_for_english(client, db):
    response = client.get(reverse("js_catalogue", args=["en"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "django.gettext" in body  # the functions, over an empty catalogue
    assert "Fett" not in body
    assert response["ETag"] != client.get(reverse("js_catalogue", args=["de"]))["ETag"]


def test_an_older_pages_catalogue_link_gets_todays_catalogue_kept_only_briefly(client, db):
    response = client.get("/jsi18n/0ld0ld0ld0ld/de.js")
    assert response.status_code == 200
    assert '"Bold": "Fett"' in response.content.decode()
    assert response["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize("language", ["xx", "fr"])
def test_a_language_the_site_does_not_offer_has_no_catalogue(client, db, language):
    assert (
        client.get(f"/jsi18n/{js_catalogue.catalogue_version()}/{language}.js").status_code == 404
    )


def test_a_page_loads_the_catalogue_of_its_language_before_its_scripts(client, topic, settings):
    for language in ("en", "de"):
        settings.LANGUAGE_CODE = language
        html = client.get(f"/t/{topic.pk}-{topic.slug}/").content.decode()
        catalogue = f'<script src="{reverse("js_catalogue", args=[language])}" defer></script>'
        assert catalogue in html
        scripts = re.findall(r'<script[^>]* src="([^"]+)"', html)
        assert scripts[:2] == [reverse("js_catalogue", args=[language]), "/static/folkmoot/i18n.js"]
