"""Emails name the site by FOLKMOOT_SITE_NAME, never Django's "example.com"."""

from django.contrib.sites.models import Site

from folkmoot.accounts.site_record import sync_site
from tests.accounts.test_signup import sign_up


def test_a_fresh_database_names_the_site_by_its_setting(db, settings):
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.name, site.domain) == (settings.SITE_NAME, settings.SITE_DOMAIN)
    assert site.domain != "example.com"


def test_the_verification_email_carries_the_sites_name(client, db, settings, mailbox):
    settings.SITE_NAME = "Allotment Friends"
    sync_site(domain="allotments.example.net")  # what `folkmoot serve` does at start-up
    sign_up(client, email="newcomer@example.org")
    [email] = mailbox.to("newcomer@example.org")
    subject, text = mailbox.subject(email), mailbox.text(email)
    assert subject.startswith("[Allotment Friends]")
    assert "Allotment Friends" in text
    assert "example.com" not in subject + text


def test_start_up_keeps_the_record_in_step_with_a_changed_setting(db, settings):
    settings.SITE_NAME = "Renamed Forum"
    settings.SITE_DOMAIN = "renamed.example.net"
    sync_site()
    assert Site.objects.get_current().name == "Renamed Forum"
    assert Site.objects.get_current().domain == "renamed.example.net"
