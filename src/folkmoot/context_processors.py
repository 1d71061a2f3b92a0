from django.conf import settings

from folkmoot.forums.policy import moderates_anything
from folkmoot.live.address import stream_url
from folkmoot.notifications.queries import unread_count


def site(request):
    # Whether the header links to the moderation queue: staff at no cost, a member with one
    # query (the categories they moderate, remembered for the rest of the request). A callable,
    # which the template calls only where it asks: the error pages, which must render with the
    # database down, never do (nor look at who is signed in).
    # The bell's unread count: 1 query, for members only (their pages are never cached).
    return {
        "site_name": settings.SITE_NAME,
        "moderates": lambda: moderates_anything(request.user),
        "unread_notifications": LazyCount(request.user),
        # Where the bell hears its count change (live/views.py), "" without a live server.
        "live_bell_url": lambda: stream_url(request, "/live/bell/"),
    }


class LazyCount:
    """Counted when a template shows it, once: pages without the header cost nothing."""

    def __init__(self, user):
        self.user = user
        self.value = None

    def __int__(self) -> int:
        if self.value is None:
            self.value = unread_count(self.user)
        return self.value

    def __str__(self) -> str:
        return str(int(self))

    def __bool__(self) -> bool:
        return int(self) > 0
