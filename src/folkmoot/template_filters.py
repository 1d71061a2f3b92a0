"""Filters every template has without `{% load %}` (TEMPLATES' `builtins` in settings)."""

import html
import re
from contextlib import contextmanager
from datetime import datetime
from types import SimpleNamespace

from django import template
from django.template import defaultfilters, defaulttags, loader_tags
from django.template.base import FilterExpression, Variable, render_value_in_context
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language

from folkmoot.memo import Memo
from folkmoot.stand_ins import StandInMarkup
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


# --- {% extends %}: the parent's blocks listed once -------------------------------------------


class _ExtendsNode(loader_tags.ExtendsNode):
    """Django's {% extends %}, but a root template's blocks are found once per compiled
    template, not by walking its whole node tree on every page (~0.1 ms a topic page)."""

    def render(self, context):
        compiled_parent = self.get_parent(context)
        if loader_tags.BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[loader_tags.BLOCK_CONTEXT_KEY] = loader_tags.BlockContext()
        block_context = context.render_context[loader_tags.BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        root_blocks = _root_blocks(compiled_parent)
        if root_blocks is not None:
            block_context.add_blocks(root_blocks)
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)


_ROOT_BLOCKS = "_folkmoot_root_blocks"


def _root_blocks(compiled: template.Template) -> dict | None:
    """A template's blocks by name if it extends nothing (as Django's ExtendsNode finds
    them), else None; kept on the compiled template, which never changes."""
    blocks = compiled.__dict__.get(_ROOT_BLOCKS, _MISSING)
    if blocks is _MISSING:
        blocks = None
        for node in compiled.nodelist:
            if not isinstance(node, template.base.TextNode):
                if not isinstance(node, loader_tags.ExtendsNode):
                    found = compiled.nodelist.get_nodes_by_type(loader_tags.BlockNode)
                    blocks = {n.name: n for n in found}
                break
        compiled.__dict__[_ROOT_BLOCKS] = blocks
    return blocks


_MISSING = object()


@register.tag
def extends(parser, token):
    """Django's {% extends %} (_ExtendsNode); every template has it."""
    node = loader_tags.do_extends(parser, token)
    return _ExtendsNode(node.nodelist, node.parent_name, node.template_dirs)


# --- {% stamp %}: markup without data, rendered once per language -----------------------------

_stamped = Memo(500, kept_while_debugging=False)  # a few KB each; a site has a few dozen

# A slot's stand-in while a stamp renders: digits, which escaping, urlencode and the URL
# patterns' <int:...> and <slug:...> converters leave as they are, and which no template or
# translation contains. (Not discussions/stamps.py's digits: a row's pattern may be filled in
# a page's stamp.)
_SLOT = "70913{:03d}48256"
_SLOT_RE = re.compile(r"70913(\d{3})48256")


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


def _fast_lookup(expression: FilterExpression):
    """expression.resolve, quicker where it is a dotted name without filters on plain objects
    (`topic.category.name`): a stamp looks up a few dozen such values a page, and Django's
    general lookup tries each object as a dict first (an exception each). Anything else, or
    anything unusual on the way (a missing value, an object with items), is left to
    Django's own lookup, so the value is always the one {{ expression }} would print."""
    var = expression.var
    if expression.filters or not isinstance(var, Variable) or not var.lookups:
        return expression.resolve
    if var.translate or var.message_context:
        return expression.resolve
    first, *rest = var.lookups

    def lookup(context):
        try:
            current = context[first]
        except KeyError:
            return expression.resolve(context)
        for bit in (None, *rest):
            if bit is not None:
                if hasattr(type(current), "__getitem__"):
                    return expression.resolve(context)
                try:
                    current = getattr(current, bit)
                except Exception:  # missing, or silent_variable_failure: Django decides
                    return expression.resolve(context)
            if callable(current):
                if getattr(current, "do_not_call_in_templates", False) or getattr(
                    current, "alters_data", False
                ):
                    return expression.resolve(context)
                try:
                    current = current()
                except TypeError:  # wants arguments: Django decides what that prints
                    return expression.resolve(context)
        return current

    return lookup


def _printed(value, context) -> str:
    """What {{ value }} prints (render_value_in_context), quicker for text."""
    if type(value) is str and context.autoescape:
        return html.escape(value)
    if isinstance(value, SafeData):
        return value
    return render_value_in_context(value, context)


class _StampNode(template.Node):
    def __init__(self, name: str, vary: list, flags: dict, slots: dict | None, nodelist):
        self.name = name
        self.vary = vary
        self.flags = flags
        self.slots = slots
        self.nodelist = nodelist
        self.flag_lookups = [_fast_lookup(value) for value in flags.values()]
        self.slot_lookups = [_fast_lookup(value) for value in (slots or {}).values()]

    def render(self, context):
        vary = [value.resolve(context) for value in self.vary]
        if self.slots is None:
            key = (self.name, get_language(), *vary)
            return _stamped.get(key, lambda: self.nodelist.render(context))
        flags = [lookup(context) for lookup in self.flag_lookups]
        slots = [lookup(context) for lookup in self.slot_lookups]
        if _drawn_afresh:
            return self._drawn_with(context, flags, slots)
        # A slot's truth is part of the key ({% if slot %} may choose markup), and a falsy
        # value is its own stand-in: "", None, 0 print as they are.
        truths = tuple(value if not value else True for value in slots)
        key = (self.name, get_language(), *vary, *flags, truths)
        markup = _stamped.get(key, lambda: self._slotted_markup(context, flags, slots))
        # A falsy slot has no field: its stand-in was printed as it is.
        return markup.fill(tuple(_printed(slots[index], context) for index in markup.order))

    def _drawn_with(self, context, flags: list, slots: list) -> SafeString:
        """The markup drawn with the values themselves in place of stand-ins (tests)."""
        values = dict(zip(self.flags, flags, strict=True)) | dict(
            zip(self.slots, slots, strict=True)
        )
        return self.nodelist.render(context.new(_stand_ins(values)))

    def _slotted_markup(self, context, flags: list, slots: list) -> StandInMarkup:
        # Only the flags and the slots' stand-ins: nothing of the request or the database
        # can reach the markup kept for every reader.
        stand_ins = {
            name: _SLOT.format(index) if value else value
            for index, (name, value) in enumerate(zip(self.slots, slots, strict=True))
        }
        named_flags = dict(zip(self.flags, flags, strict=True))
        stamping = context.new(_stand_ins(named_flags | stand_ins))
        return StandInMarkup(self.nodelist.render(stamping), _SLOT_RE)


_drawn_afresh = False


@contextmanager
def stamps_drawn_afresh():
    """Within: each stamp with slots drawn with its values in place, nothing kept (tests
    compare pages drawn so with pages filled in from kept markup)."""
    global _drawn_afresh
    _drawn_afresh = True
    try:
        yield
    finally:
        _drawn_afresh = False


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
    parts = []
    for row in rows:
        parts += ("\n", conditional_escape(row.html), "\n  ")
    return mark_safe("".join(parts))
