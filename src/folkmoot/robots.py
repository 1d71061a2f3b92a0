"""robots.txt: crawlers may read the forum, not the account, moderation, upload or draft URLs;
and /favicon.ico for the browsers and readers that ask for it there."""

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

# Paths of pages that are private to someone, or do something, or are only forms.
DISALLOWED = ("/accounts/", "/mod/", "/admin/", "/uploads/", "/drafts/", "/guests/")


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    # Each post's edit, revisions, quote and who-reacted pages, reached from /p/<id>/.
    lines += [f"Disallow: /p/*/{page}/" for page in ("edit", "revisions", "quote", "reactions")]
    sitemap = request.build_absolute_uri(reverse("sitemap_index"))
    lines += ["", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page links to."""
    return HttpResponsePermanentRedirect(static("folkmoot/favicon-32.png"))
