"""The query syntax readers type, parsed here into terms, never handed to an engine as is.

    words          every word must appear (stemmed: "running" finds "runs")
    "two words"    the words next to each other, in that order (an unclosed quote ends the line)
    -word -"a b"   leave out posts with the word or phrase
    word*          words that start with "word"

Anything else (FTS operators such as AND, OR, NEAR(, column filters, brackets, a lone *) is
punctuation or a plain word: each backend writes its own syntax from these terms, quoting every
word, so nothing a reader types can reach an engine's parser as syntax.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

QUERY_MAX_LENGTH = 200
TERMS_MAX = 12
# A word as the engines' tokenizers see one: letters and digits (and combining marks, so
# "café" written with a combining accent stays one word).
WORD = re.compile(r"[^\W_]+(?:[\u0300-\u036f]+[^\W_]*)*")
SEPARATOR = re.compile(r"[^\w'’.\-]+")
TOKEN = re.compile(r'(-?)"([^"]*)(?:"|$)|(-?)(\S+)')


class QueryError(ValueError):
    """The query cannot be searched; the message says why, for the reader."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a phrase
    excluded: bool = False
    prefix: bool = False  # the last word is a prefix

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    @property
    def included(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.excluded)

    @property
    def excluded(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.excluded)


def clean(text: str) -> str:
    """The query as typed, without control characters (NUL included) and in NFC form."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return unicodedata.normalize("NFC", text).strip()


def parse(text: str) -> Query:
    text = clean(text)
    if not text:
        raise QueryError(_("Type a word or two to search for."))
    if len(text) > QUERY_MAX_LENGTH:
        raise QueryError(
            _(
                "Search for at most %(max)s characters (this has %(length)s): "
                "a few distinctive words find more than a whole paragraph."
            )
            % {"max": QUERY_MAX_LENGTH, "length": number_format(len(text), force_grouping=True)}
        )
    terms: list[Term] = []
    for match in TOKEN.finditer(text):
        if match.group(2) is not None:  # a quoted phrase
            excluded, chunk, quoted = bool(match.group(1)), match.group(2), True
        else:
            excluded, chunk, quoted = bool(match.group(3)), match.group(4), False
        words = WORD.findall(chunk)
        if not words:
            continue
        prefix = not quoted and chunk.endswith("*") and len(words) == 1
        if quoted:
            terms.append(Term(tuple(w.lower() for w in words), excluded=excluded))
        elif prefix:
            terms.append(Term((words[0].lower(),), excluded=excluded, prefix=True))
        else:
            # "e-mail", "don't", "3.5": words joined by in-word punctuation are a phrase (the
            # tokenizers split them the same way); other punctuation, as in "NEAR(x)" or
            # "title:x", separates words.
            for part in SEPARATOR.split(chunk):
                if part_words := WORD.findall(part):
                    terms.append(Term(tuple(w.lower() for w in part_words), excluded=excluded))
    terms = _unique(terms)[:TERMS_MAX]
    if not terms:
        raise QueryError(_("Type a word or two to search for: punctuation alone finds nothing."))
    if not any(not term.excluded for term in terms):
        raise QueryError(_("Add a word to search for: a query of exclusions alone finds nothing."))
    return Query(tuple(terms))


def _unique(terms: list[Term]) -> list[Term]:
    seen, unique = set(), []
    for term in terms:
        if term not in seen:
            seen.add(term)
            unique.append(term)
    return unique
