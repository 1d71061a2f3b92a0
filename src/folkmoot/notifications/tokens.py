"""Signed unsubscribe links: they name the member and the follow (or the kind) and need no
sign-in. Signed with SECRET_KEY under their own salt; they do not expire (an old email's link
still works), and following again after unsubscribing makes a new follow the old link cannot
touch."""

from django.core import signing

SALT = "folkmoot.notifications.unsubscribe"


def make(*, member_id: int, follow_id: int | None = None, kind: str | None = None) -> str:
    data = {"m": member_id}
    if follow_id is not None:
        data["f"] = follow_id
    elif kind:
        data["k"] = kind
    return signing.dumps(data, salt=SALT, compress=True)


def read(token: str) -> dict | None:
    """{"member_id", "follow_id", "kind"}, or None for a token we did not sign."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        return None
    follow_id = data.get("f")
    kind = data.get("k")
    return {
        "member_id": data["m"],
        "follow_id": follow_id if isinstance(follow_id, int) else None,
        "kind": kind if isinstance(kind, str) else None,
    }
