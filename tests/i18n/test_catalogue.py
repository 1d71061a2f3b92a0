"""The German catalogue is complete, compiled, and says what the English says.

Read without polib or the gettext tools (po_file.py; the .mo through the standard library), so
the checks run wherever the tests do."""

import gettext
import re
from pathlib import Path

import pytest

from folkmoot import settings as folkmoot_settings

from . import po_file

LOCALE = Path(folkmoot_settings.PACKAGE_DIR) / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
# %(name)s, %s, %d and str.format's {name}: what the code fills in.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdi]|%[sdi]|\{[a-z_]*\}")


def entries(po: Path) -> list[po_file.Entry]:
    return [entry for entry in po_file.read(po) if entry.msgid]


def test_there_is_a_german_catalogue():
    assert LOCALE / "de/LC_MESSAGES/django.po" in CATALOGUES
    assert len(entries(LOCALE / "de/LC_MESSAGES/django.po")) > 300


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-3])
def test_every_message_is_translated_and_none_is_fuzzy(po):
    untranslated = [
        entry.msgid for entry in entries(po) if not all(text for text in entry.msgstr.values())
    ]
    fuzzy = [entry.msgid for entry in entries(po) if "fuzzy" in entry.flags]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-3])
def test_each_translation_fills_in_the_same_placeholders_as_its_english(po):
    mismatched = []
    for entry in entries(po):
        for index, text in entry.msgstr.items():
            english = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(english)):
                mismatched.append((english, text))
    assert mismatched == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-3])
def test_the_committed_mo_holds_exactly_the_messages_of_the_po(po):
    """An install uses the .mo as committed (no gettext tools): it must not lag the .po."""
    with po.with_suffix(".mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    expected = {}
    for entry in entries(po):
        if entry.msgid_plural:
            for index, text in entry.msgstr.items():
                expected[(entry.key, index)] = text
        else:
            expected[entry.key] = entry.msgstr[0]
    compiled = {key: text for key, text in compiled.items() if key != ""}  # the header
    assert compiled == expected
