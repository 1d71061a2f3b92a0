from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.urls import URLResolver, include, path
from django.urls.resolvers import RoutePattern
from django.views.decorators.http import require_safe
from django.views.i18n import set_language

from folkmoot.composer.views import serve_upload
from folkmoot.discussions.sitemaps import SITEMAPS
from folkmoot.languages import choose_language
from folkmoot.robots import favicon, robots_txt


class _ImportedOnFirstUse(URLResolver):
    """A namespaced include whose URLconf is imported when a request or a reverse("ns:…")
    first needs it. Django's first reverse() of any name populates every include, which
    would import this one in every process that renders a page; the namespace alone is
    enough for that."""

    def _populate(self):
        if "url_patterns" in self.__dict__:  # in use: its URLconf is imported
            super()._populate()

    @property
    def reverse_dict(self):
        self._use()
        return super().reverse_dict

    @property
    def namespace_dict(self):
        self._use()
        return super().namespace_dict

    @property
    def app_dict(self):
        self._use()
        return super().app_dict

    def _use(self) -> None:
        self.url_patterns  # noqa: B018 (a cached property: imports the URLconf once)


# Whatever escapes the views: the designed error page, which renders without the database.
handler500 = "folkmoot.faults.views.server_error"
# allauth's rate limits answer through this (allauth.core.internal.ratelimit.respond_429).
handler429 = "folkmoot.faults.views.too_many_requests"

urlpatterns = [
    # The admin (its apps' admin modules, its URLs) is found on the first request below /admin/
    # or reverse("admin:…"), not by every process at start (~4 MiB a process, BENCHMARKS.md).
    _ImportedOnFirstUse(RoutePattern("admin/"), "folkmoot.admin_urls", None, "admin", "admin"),
    # The footer's language menu, and the POST (CSRF-checked) that keeps the pick in a cookie.
    path("language/", choose_language, name="choose_language"),
    path("language/set/", set_language, name="set_language"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("", include("folkmoot.js_catalogue")),  # the scripts' translations, /jsi18n/…
    path(
        "sitemap.xml",
        require_safe(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path("", include("folkmoot.guests.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("folkmoot.composer.urls")),
    path("mod/", include("folkmoot.moderation.urls")),
    path("", include("folkmoot.search.urls")),
    path("", include("folkmoot.people.urls")),
    path("", include("folkmoot.notifications.urls")),
    path("", include("folkmoot.discussions.urls")),
    # Uploaded files; a deployment at scale serves these from object storage instead.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_upload),
]
