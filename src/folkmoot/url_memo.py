"""reverse(), remembered: a page asks for the same few dozen addresses on every request.

reverse() walks the URL patterns each time (~20-35 us a call); a topic page asks for about 30
addresses, most of them the same on every page (the header's, the footer's). An address is a
function of the view's name, its arguments, the script prefix, the URLconf and the language
only, never of stored data, so it is kept in this process, a bounded number of them.
"""

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from folkmoot.memo import Memo

_urls = Memo(4096)  # ~100 bytes each; a page names a few dozen
# Arguments whose str() is their value and whose equals are too (a template's literal is a
# SafeString; True == 1, so no bools).
_PLAIN = frozenset({str, SafeString, int})


def memo_reverse(viewname: str, args=(), kwargs=None, current_app=None) -> str:
    """reverse() for a view name and plain str/int arguments, remembered in this process;
    anything else (an object as an argument) is reversed afresh every time."""
    values = (*args, *kwargs.values()) if kwargs else args
    if type(viewname) not in _PLAIN or any(type(value) not in _PLAIN for value in values):
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    key = (
        viewname,
        tuple(args),
        tuple(kwargs.items()) if kwargs else (),
        current_app,
        get_script_prefix(),
        get_urlconf(),
        get_language(),
    )
    return _urls.get(
        key, lambda: reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    )
