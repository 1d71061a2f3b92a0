"""sitemap.xml for crawlers: an index whose pages list the categories and every public topic.

The index (/sitemap.xml) names one page per SITEMAP_URLS_PER_PAGE topics, so a large forum
never sends one huge file (the protocol allows 50,000 URLs a file)."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from folkmoot.forums.models import Category

from . import queries
from .models import Topic


class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.order_by("position", "pk")


class TopicSitemap(Sitemap):
    changefreq = "hourly"

    @property
    def limit(self) -> int:
        return settings.FOLKMOOT["SITEMAP_URLS_PER_PAGE"]

    def items(self):
        return queries.sitemap_topics()

    def lastmod(self, topic: Topic):
        return topic.last_posted_at


SITEMAPS = {"categories": CategorySitemap, "topics": TopicSitemap}
