"""No template shows a reader English that the catalogue cannot translate.

Each template is read with Django's own lexer. What {% translate %} and {% blocktranslate %}
say, variables, tags and comments are set aside; what is left is the template's own text. Its
visible part (text between tags, and the attributes a reader sees or hears: title, alt,
placeholder, aria-label, a button's value) must hold no letters. Literal strings a template
shows through a variable (`|default:"Guest"`) or hands to an include (`label="..."`) must be
marked `_("...")`. Decorative text hidden from assistive technology (aria-hidden="true", a
guest's avatar initial) and brand names are not translated.
"""

import re
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

from folkmoot import settings as folkmoot_settings

PACKAGE = Path(folkmoot_settings.PACKAGE_DIR)
TEMPLATES = sorted(
    path
    for pattern in (
        "templates/**/*.html",
        "templates/**/*.txt",
        "*/templates/**/*.html",
        "*/templates/**/*.txt",
    )
    for path in PACKAGE.glob(pattern)
)

BRAND_NAMES = {"X", "Facebook", "Reddit", "LinkedIn", "Bluesky", "Mastodon"}
EXAMPLES = {"mastodon.social"}  # a placeholder that is a host name, the same in every language
LETTER = re.compile(r"[^\W\d_]")
TRANSLATED_BLOCK = re.compile(r"^(translate|trans)\b")
BLOCK_TRANSLATE = re.compile(r"^(blocktranslate|blocktrans)\b")
END_BLOCK_TRANSLATE = re.compile(r"^(endblocktranslate|endblocktrans)\b")
# Literals that name a thing for the code, never shown: `size|default:'medium'` (a class).
NOT_TEXT = {"'medium'"}
MASK = "\x01"  # stands for whatever a tag or variable puts there: no letters of its own

VISIBLE_ATTRIBUTE = re.compile(
    r"""\b(title|alt|placeholder|aria-label)\s*=\s*(["'])(.*?)\2""", re.S
)
BUTTON_VALUE = re.compile(
    r"""<input\b[^>]*\btype=["']?(?:submit|button|reset)\b[^>]*\bvalue=(["'])(.*?)\1""", re.S
)
HIDDEN_ELEMENT = re.compile(r"""<(\w+)\b[^>]*\baria-hidden=["']true["'][^>]*>[^<]*</\1>""", re.S)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S)
TAG = re.compile(r"<[^>]*>", re.S)
ATTRIBUTE = re.compile(r"""[\w:-]+=(["'])[^"']*\1|\bdata-[\w-]+""")
ENTITY = re.compile(r"&#?\w+;")
# A literal shown through a variable, or handed to an include, not marked _("...").
UNMARKED_DEFAULT = re.compile(r"""\|default(?:_if_none)?:(["'])[^"']*?[^\W\d_][^"']*\1""")
UNMARKED_INCLUDE_TEXT = re.compile(
    r"""\b(placeholder|label|title|text)=(["'])[^"']*?[^\W\d_][^"']*\2"""
)


def relative(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return "/".join(parts[2:] if parts[1] == "templates" else parts[1:])


def masked(source: str) -> tuple[str, list[str]]:
    """The template's own text, with every tag, variable and translated text masked, and the
    literals its variables and includes show unmarked."""
    out: list[str] = []
    unmarked: list[str] = []
    in_comment = in_blocktranslate = False
    for token in Lexer(source).tokenize():
        contents = token.contents.strip()
        if token.token_type == TokenType.BLOCK:
            if contents == "comment" or contents.startswith("comment "):
                in_comment = True
            elif contents == "endcomment":
                in_comment = False
            elif BLOCK_TRANSLATE.match(contents):
                in_blocktranslate = True
            elif END_BLOCK_TRANSLATE.match(contents):
                in_blocktranslate = False
            elif contents.startswith("include ") and not in_comment:
                unmarked += [m.group(0) for m in UNMARKED_INCLUDE_TEXT.finditer(contents)]
            out.append(MASK)
        elif token.token_type == TokenType.VAR:
            if not in_comment and not in_blocktranslate:
                unmarked += [m.group(0) for m in UNMARKED_DEFAULT.finditer(contents)]
            out.append(MASK)
        elif token.token_type == TokenType.TEXT:
            out.append(MASK if in_comment or in_blocktranslate else token.contents)
    return "".join(out), unmarked


def has_text(piece: str) -> bool:
    words = [word for word in piece.split() if word not in BRAND_NAMES | EXAMPLES]
    return bool(LETTER.search(" ".join(words)))


def untranslated(source: str) -> list[str]:
    text, literals = masked(source)
    found = [literal for literal in literals if literal.split(":", 1)[-1] not in NOT_TEXT]
    text = SCRIPT_OR_STYLE.sub(MASK, text)
    found += [
        f"{match[1]}={match[3]!r}"
        for match in VISIBLE_ATTRIBUTE.finditer(text)
        if has_text(match[3])
    ]
    found += [f"value={match[2]!r}" for match in BUTTON_VALUE.finditer(text) if has_text(match[2])]
    text = HIDDEN_ELEMENT.sub(MASK, text)
    # Tags, entities, and attributes written outside a tag (a block filling in a tag's
    # attributes): none of it is read as text.
    text = ATTRIBUTE.sub(MASK, ENTITY.sub(MASK, TAG.sub(MASK, text)))
    found += [piece.strip() for piece in text.split(MASK) if has_text(piece)]
    return found


@pytest.mark.parametrize("path", TEMPLATES, ids=relative)
def test_every_visible_text_of_the_template_is_marked_for_translation(path):
    assert untranslated(path.read_text(encoding="utf-8")) == []


def test_the_lint_finds_text_attributes_and_unmarked_literals():
    source = (
        '<p title="Hello">Hi {{ name }}</p><img alt="A cat">'
        '{{ who|default:"Guest" }}{% include "x.html" with label="Pages" %}'
        '<input type="submit" value="Send"><span aria-hidden="true">G</span>'
        '{% translate "Fine" %}{% blocktranslate %}Also {{ fine }}{% endblocktranslate %}'
        '{% comment %}Not shown{% endcomment %}{# nor this #}<a href="/x">Mastodon</a>'
    )
    assert untranslated(source) == [
        '|default:"Guest"',
        'label="Pages"',
        "title='Hello'",
        "alt='A cat'",
        "value='Send'",
        "Hi",
    ]
