"""No script shows English the catalogue cannot translate: a string literal reaching what a
reader sees or hears (text, accessible names, tooltips, placeholders, live announcements,
prompts and notices) goes through gettext/ngettext (static/folkmoot/i18n.js).

A pragmatic check, by pattern, two ways: the places the scripts put words on the page (found
by reading them: a new kind of place needs its pattern here), and, wherever it is, any literal
that reads like an English word or sentence (a capital, then lowercase), but for the names of
keys and headers the code compares or sends."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(ROOT.glob("frontend/src/*.js")) + sorted(
    ROOT.glob("src/folkmoot/static/folkmoot/*.js")
)

_WORDS_ATTRIBUTES = (
    "aria-label|aria-description|aria-roledescription|aria-valuetext|title|placeholder|alt"
)
# Where a statement puts words on the page: what follows each match is checked.
SINKS = re.compile(
    r"\.(?:textContent|innerText|title|placeholder|ariaLabel|alt)\s*=(?!=)"  # el.title = …
    rf"|\.setAttribute\(\s*['\"](?:{_WORDS_ATTRIBUTES})['\"]\s*,"  # setAttribute("title", …)
    rf"|['\"](?:{_WORDS_ATTRIBUTES})['\"]\s*:"  # { 'aria-label': … }
    r"|\b(?:alert|confirm|prompt)\("  # window.prompt(…)
    r"|\.show\(\s*['\"][\w-]+['\"]\s*,"  # notices.show(kind, …)
)
_LITERAL = r"'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"|`(?:\\.|[^`\\])*`"
# A translation call's own string arguments are what makemessages extracts: not a finding.
TRANSLATED = re.compile(rf"\b(?:n?gettext|n?pgettext)\(\s*(?:{_LITERAL})(?:\s*,\s*(?:{_LITERAL}))*")
LITERAL = re.compile(_LITERAL)
CONTINUES = tuple("=?:(|&+")
WORDLIKE = re.compile(r"\W*[A-Z][a-z]")
NOT_WORDS = re.compile(
    r"Enter|Escape|Esc|Tab|Home|End|Arrow(?:Up|Down|Left|Right)|Content-Type"  # event.key, headers
    r"|\$\{MOD\}Alt\+\w"  # a shortcut: Alt is Alt on every keyboard the site speaks to
    r"|(?:[A-Z][a-z]+){2,}"  # a name in JavaScript: "IntersectionObserver" in window
)


def expression_after(text: str, start: int) -> str:
    """The expression from `start`: to the end of its line, through the lines it continues on
    (brackets open, or a line ending in an operator), up to a comma between arguments or
    properties (a prompt's default value is not words)."""
    depth, out = 0, []
    for i in range(start, len(text)):
        char = text[i]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                break
        elif char == "," and depth == 0:
            break
        elif char == "\n" and depth == 0:
            so_far = "".join(out).strip()
            if so_far and not so_far.endswith(CONTINUES):
                break
        out.append(char)
    return "".join(out)


def untranslated(source: str) -> list[str]:
    """The literals with letters put on the page outside a translation call."""
    # Comments out (not "https://", nor "\/\/" in a regular expression).
    code = re.sub(r"(?<![:\\])//[^\n]*", "", source)
    found = []
    for sink in SINKS.finditer(code):
        expression = TRANSLATED.sub("gettext()", expression_after(code, sink.end()))
        for literal in LITERAL.findall(expression):
            words = re.sub(r"\$\{[^}]*\}", "", literal)
            if re.search(r"[A-Za-z]", words) and not re.fullmatch(r".https?://.", words):
                found.append(f"{sink.group(0).strip()} {literal}")
    for literal in LITERAL.findall(TRANSLATED.sub("gettext()", code)):
        words = literal[1:-1]
        if WORDLIKE.match(words) and not NOT_WORDS.fullmatch(words):
            found.append(literal)
    return found


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_string_a_script_shows_goes_through_the_catalogue(script):
    assert untranslated(script.read_text(encoding="utf-8")) == []


def test_the_check_finds_each_kind_of_untranslated_string():
    assert untranslated('status.textContent = "Checking you are not a robot…";')
    assert untranslated("b.title = `Bold (${MOD}B)`")
    assert untranslated('bell.setAttribute("aria-label", count ? "Notifications: " + count : "")')
    assert untranslated("bar.setAttribute('aria-label',\n  'Formatting')")
    assert untranslated("attributes: { role: 'textbox', 'aria-label': 'Post body' }")
    assert untranslated("const href = window.prompt('Link URL', prev || 'https://')")
    assert untranslated("notices.show('upload', 'Uploading image…')")
    assert untranslated('x.textContent =\n  n === 1 ? "1 post to quote" : `${n} posts to quote`;')
    assert untranslated("add('Bold', '<b>B</b>', `${MOD}B`, () => chain().toggleBold().run())")
    assert untranslated("export const MESSAGES = { richPasted: 'Pasted as rich text.' }")
    assert untranslated("['span', { class: 'fm-embed-label' }, 'Embedded link']")


def test_the_check_lets_translated_strings_and_non_words_through():
    assert not untranslated('status.textContent = gettext("Checking you are not a robot…");')
    assert not untranslated(
        'x.textContent = interpolate(ngettext("%(n)s post", "%(n)s posts", n), { n: n });'
    )
    assert not untranslated("const url = window.prompt(MESSAGES.imageUrlPrompt, 'https://')")
    assert not untranslated('count.textContent = ticked ? " (" + ticked + ")" : "";')
    assert not untranslated("close.textContent = '×'")
    assert not untranslated("b.setAttribute('aria-pressed', 'false')")
    assert not untranslated("if (event.key === 'Escape' || event.key === 'Enter') return")
    assert not untranslated("if (!/^(https?:\\/\\/|mailto:|\\/)/i.test(value)) return // 'Link'")
