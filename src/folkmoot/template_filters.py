"""Filters every template has without `{% load %}` (TEMPLATES' `builtins` in settings)."""

from datetime import datetime

from django import template
from django.template import defaultfilters, defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
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


class _StampNode(template.Node):
    def __init__(self, name: str, vary: list, nodelist):
        self.name = name
        self.vary = vary
        self.nodelist = nodelist

    def render(self, context):
        key = (self.name, get_language(), *(value.resolve(context) for value in self.vary))
        return _stamped.get(key, lambda: self.nodelist.render(context))


@register.tag
def stamp(parser, token):
    """{% stamp "name" [vary ...] %}markup{% endstamp %}: the markup rendered once per name,
    language and value of each `vary` expression (hashable), kept in this process and given to
    every page after. Only for markup that is a function of those alone (addresses, static
    files, translations, settings, the vary values): anything else in it, stored data or the
    request, would show every reader the first one's."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('{% stamp "name" [vary ...] %}')
    nodelist = parser.parse(("endstamp",))
    parser.delete_first_token()
    return _StampNode(bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
