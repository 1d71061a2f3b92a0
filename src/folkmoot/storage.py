"""Uploads in S3-compatible object storage (FOLKMOOT_S3_BUCKET; docs/scale-out.md), so every
app server sees every upload.

Their addresses stay the site's own (MEDIA_URL): posts link to /media/…, which the site
streams from the bucket (composer.views.serve_upload, with its strict headers) or a proxy or
CDN in front of the site serves and caches. Posts never carry a bucket's address, the page's
Content-Security-Policy needs no new host, and moving storage never breaks old posts."""

from django.conf import settings
from storages.backends.s3 import S3Storage


class S3MediaStorage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"{settings.MEDIA_URL}{name.lstrip('/')}"
