"""The Sites record allauth names the site by in every email ("[Folkmoot] Please confirm…").

Django creates it as "example.com"; Folkmoot sets it from FOLKMOOT_SITE_NAME and the site's
domain when the database is made (migration accounts/0003) and again each time the site starts
(cli.py), so a changed setting reaches the emails without anyone editing the admin."""

from django.conf import settings
from django.contrib.sites.models import Site


def sync_site(*, domain: str | None = None) -> Site:
    """Write the name and domain into the record if they differ. 1 query, 2 when it changes."""
    wanted = {"name": settings.SITE_NAME, "domain": domain or settings.SITE_DOMAIN}
    site, created = Site.objects.get_or_create(pk=settings.SITE_ID, defaults=wanted)
    if not created and (site.name, site.domain) != (wanted["name"], wanted["domain"]):
        site.name, site.domain = wanted["name"], wanted["domain"]
        site.save(update_fields=["name", "domain"])
    Site.objects.clear_cache()
    return site
