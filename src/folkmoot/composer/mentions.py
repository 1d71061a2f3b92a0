"""@mentions: which of the names a body mentions are members, up to the cap per post.

Only the first MENTIONS_MAX members a post mentions become links to their profiles (and are
told about it: discussions.events); further @names stay plain text. A post cannot be a way to
ping the whole forum."""

from django.conf import settings
from django.db.models.functions import Lower

from folkmoot.accounts.models import User


def members_named(names: list[str]) -> dict[str, str]:
    """{lowercased name: username} for the names that are active members, in the order
    mentioned, at most MENTIONS_MAX of them. 1 query, none without names."""
    if not names:
        return {}
    cap = settings.FOLKMOOT["MENTIONS_MAX"]
    wanted = list(dict.fromkeys(name.lower() for name in names))
    found = dict(
        User.objects.filter(is_active=True)
        .annotate(lowered=Lower("username"))
        .filter(lowered__in=wanted)
        .values_list("lowered", "username")
    )
    members = {name: found[name] for name in wanted if name in found}
    return dict(list(members.items())[:cap])
