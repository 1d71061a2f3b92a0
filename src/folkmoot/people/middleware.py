"""Dates in the member's time zone (their account setting); the site's for everyone else."""

import zoneinfo

from django.db import DatabaseError
from django.utils import timezone


class MemberTimeZoneMiddleware:
    """After AuthenticationMiddleware. Anonymous requests (the cached pages) cost nothing:
    without a session cookie, asking who is signed in reads nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None
        try:
            if request.user.is_authenticated and request.user.time_zone:
                zone = zoneinfo.ZoneInfo(request.user.time_zone)
        except DatabaseError:
            pass  # the view meets the same fault and answers it (faults.middleware)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass  # a zone this machine's tz database no longer has: the site's
        if zone is None:
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
