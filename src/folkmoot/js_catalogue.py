"""The scripts' translations: Django's JavaScript catalogue (the djangojs domain), one file per
language, at `/jsi18n/<version>/<language>.js`.

Every page loads the catalogue of its own language before its other scripts (base.html), and
the scripts say things through static/folkmoot/i18n.js, which falls back to English without
it. The URL names the language, so a page cached for anonymous readers in one language never
loads another's catalogue, and the version (a digest of what every catalogue is made of), so a
browser or proxy may keep it for a year: new translations make a new URL. A page cached
before that names the old version, which answers the current catalogue, kept a few minutes.

Rendered once per process and language from the compiled catalogues alone: no database, no
session, no cookie. How the scripts mark their words and how to extract them: frontend/README.md.
"""

import hashlib
from functools import cache
from pathlib import Path

import django
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation
from django.views.decorators.http import condition, require_safe
from django.views.i18n import JavaScriptCatalog

A_YEAR = 365 * 24 * 60 * 60
OLD_VERSION_SECONDS = 5 * 60


class _SiteCatalogue(JavaScriptCatalog):
    """The site's own djangojs catalogues (LOCALE_PATHS) only: not the admin's scripts'
    strings, which every installed app's catalogue would add by default."""

    def get(self, request, *args, **kwargs):
        localedirs = [str(folder) for folder in settings.LOCALE_PATHS]
        self.translation = DjangoTranslation(
            translation.get_language(), domain=self.domain, localedirs=localedirs
        )
        return self.render_to_response(self.get_context_data())


def _supported(language: str) -> str:
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        raise Http404("No such language") from None


@cache
def _rendered(language: str) -> tuple[bytes, str]:
    """The catalogue's JavaScript for a supported language, and its digest."""
    with translation.override(language):
        body = _SiteCatalogue().get(None).content
    return body, hashlib.sha256(body).hexdigest()[:16]


def catalogue_version() -> str:
    """A digest of what the catalogues are made of: the compiled script catalogues, Django's
    version (formats and plural rules) and this file (how they are rendered). Not of the
    rendered catalogues: rendering one activates its language, and each site process then held
    every language's translations from start (~0.4 MiB a language, BENCHMARKS.md, memory)."""
    digest = hashlib.sha256(django.__version__.encode())
    digest.update(Path(__file__).read_bytes())
    for code, _name in settings.LANGUAGES:
        digest.update(code.encode())
        for folder in settings.LOCALE_PATHS:
            compiled = Path(folder) / code / "LC_MESSAGES" / "djangojs.mo"
            if compiled.exists():
                digest.update(compiled.read_bytes())
    return digest.hexdigest()[:12]


def _etag(request: HttpRequest, language: str, version: str | None = None) -> str:
    return _rendered(_supported(language))[1]


@require_safe
@condition(etag_func=_etag)
def catalogue(request: HttpRequest, language: str, version: str | None = None) -> HttpResponse:
    body, _digest = _rendered(_supported(language))
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # version is set only by the second route: a page's link to an older catalogue.
    seconds = A_YEAR if version is None else OLD_VERSION_SECONDS
    response["Cache-Control"] = f"public, max-age={seconds}" + (
        ", immutable" if version is None else ""
    )
    return response


urlpatterns = [
    path(f"jsi18n/{catalogue_version()}/<str:language>.js", catalogue, name="js_catalogue"),
    path("jsi18n/<str:version>/<str:language>.js", catalogue, name="js_catalogue_older"),
]
