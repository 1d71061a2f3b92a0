"""Filters every template has without `{% load %}` (TEMPLATES' `builtins` in settings)."""

import re
from datetime import datetime
from types import SimpleNamespace

from django import template
from django.template import defaultfilters, defaulttags
from django.template.base import render_value_in_context
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from folkmoot.memo import Memo
from folkmoot.url_memo import memo_reverse

register = template.Library()

# HTML's `<time datetime>` wants the moment with its offset, e.g. 2026-11-26T16:49:43+0100.
ISO_DATETIME = r"Y-m-d\TH:i:sO"


@register.filter(expects_localtime=True)
def iso_datetime(value) -> str:
    """A moment for a `<time datetime="…">` attribute, in the reader's time zone."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        # The same text as the format below, at a tenth of Django's formatter's cost (a list
        # page asks for 60 of these).
        return value.strftime("%Y-%m-%dT%H:%M:%S%z")
    return defaultfilters.date(value, ISO_DATETIME)


class _MemoURLNode(defaulttags.URLNode):
    """{% url %} through url_memo: the same address for the same arguments, reversed once."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = memo_reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    """Django's {% url %}, its reversing remembered (url_memo); every template has it."""
    node = defaulttags.url(parser, token)
    return _MemoURLNode(node.view_name, node.args, node.kwargs, node.asvar)


# --- {% stamp %}: markup without data, rendered once per language -----------------------------

_stamped = Memo(500, kept_while_debugging=False)  # a few KB each; a site has a few dozen

# A slot's stand-in while a stamp renders: digits, which escaping, urlencode and the URL
# patterns' <int:...> and <slug:...> converters leave as they are, and which no template or
# translation contains. (Not discussions/stamps.py's digits: a row's pattern may be filled in
# a page's stamp.)
_SLOT = "70913{:03d}48256"
_SLOT_RE = re.compile(r"70913(\d{3})48256")


class _SlottedMarkup:
    """A stamp's markup as a str.format() pattern with a field for each slot, by its place."""

    def __init__(self, html: str):
        parts = _SLOT_RE.split(html)
        self.pattern = "".join(
            part.replace("{", "{{").replace("}", "}}") if index % 2 == 0 else f"{{{int(part)}}}"
            for index, part in enumerate(parts)
        )

    def fill(self, values: list) -> SafeString:
        # Our template's output, each value rendered (escaped) as {{ value }} would be.
        return mark_safe(self.pattern.format(*values))


class _StandIn(SimpleNamespace):
    """What a dotted slot or flag name (`card.title`) stands for while a stamp renders."""


def _stand_ins(values: dict) -> dict:
    """{"card.title": x, "pk": y} as {"card": _StandIn(title=x), "pk": y}."""
    context = {}
    for name, value in values.items():
        *path, last = name.split(".")
        place = context
        for part in path:
            place = vars(place.setdefault(part, _StandIn()))
        place[last] = value
    return context


class _StampNode(template.Node):
    def __init__(self, name: str, vary: list, flags: dict, slots: dict | None, nodelist):
        self.name = name
        self.vary = vary
        self.flags = flags
        self.slots = slots
        self.nodelist = nodelist

    def render(self, context):
        vary = [value.resolve(context) for value in self.vary]
        if self.slots is None:
            key = (self.name, get_language(), *vary)
            return _stamped.get(key, lambda: self.nodelist.render(context))
        flags = {name: value.resolve(context) for name, value in self.flags.items()}
        slots = {name: value.resolve(context) for name, value in self.slots.items()}
        # A slot's truth is part of the key ({% if slot %} may choose markup), and a falsy
        # value is its own stand-in: "", None, 0 print as they are.
        truths = tuple(value if not value else True for value in slots.values())
        key = (self.name, get_language(), *vary, *flags.values(), truths)
        markup = _stamped.get(key, lambda: self._slotted_markup(context, flags, slots))
        # A falsy slot has no field: its stand-in was printed as it is.
        return markup.fill(
            [render_value_in_context(value, context) if value else "" for value in slots.values()]
        )

    def _slotted_markup(self, context, flags: dict, slots: dict) -> _SlottedMarkup:
        # Only the flags and the slots' stand-ins: nothing of the request or the database
        # can reach the markup kept for every reader.
        stand_ins = {
            name: _SLOT.format(index) if value else value
            for index, (name, value) in enumerate(slots.items())
        }
        html = self.nodelist.render(context.new(_stand_ins({**flags, **stand_ins})))
        return _SlottedMarkup(html)


@register.tag
def stamp(parser, token):
    """{% stamp "name" [vary ...] %}markup{% endstamp %}: the markup rendered once per name,
    language and value of each `vary` expression (hashable), kept in this process and given to
    every page after. Only for markup that is a function of those alone (addresses, static
    files, translations, settings, the vary values): anything else in it, stored data or the
    request, would show every reader the first one's.

    {% stamp "name" [vary ...] [flag=expr ...] slots name=expr ... %}: a stamp with slots. Its
    markup sees only its named flags (their values part of the key, like `vary`) and its slots,
    and is kept with a stand-in for each slot; each page fills in the slots' values, each
    rendered (escaped) as {{ expr }} would render it. A dotted name (card.title) stands for an
    attribute, for an included template written for an object. In the markup a slot is only
    printed ({{ name }}, a blocktranslate's `with x=name`, an {% url %} argument that its
    pattern takes as it is) or tested for truth ({% if name %}: its truth is part of the key);
    never filtered or compared, which would act on the stand-in.
    """
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('{% stamp "name" [vary ...] %}')
    vary, shape, slots = [], {}, None
    for bit in bits[2:]:
        if bit == "slots" and slots is None:
            slots = {}
            continue
        name, equals, value = bit.partition("=")
        if slots is not None:
            if not equals:
                raise template.TemplateSyntaxError(f"stamp: a slot is name=expr, not {bit!r}")
            slots[name] = parser.compile_filter(value)
        elif equals and all(part.isidentifier() for part in name.split(".")):
            shape[name] = parser.compile_filter(value)
        else:
            vary.append(parser.compile_filter(bit))
    if shape and slots is None:
        raise template.TemplateSyntaxError("stamp: named flags go with slots")
    nodelist = parser.parse(("endstamp",))
    parser.delete_first_token()
    return _StampNode(bits[1][1:-1], vary, shape, slots, nodelist)


@register.filter
def rows_html(rows) -> SafeString:
    """A page's rows (each with its `html`, our own templates' output) as a loop of
    "\n{{ row.html }}\n  " would print them: one join instead of a template loop."""
    return mark_safe("".join(f"\n{conditional_escape(row.html)}\n  " for row in rows))
