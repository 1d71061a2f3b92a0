"""The signed cookie that lets a browser see the posts it wrote that nobody else sees yet
(a guest's post before registration, a post awaiting approval). It lists post ids only; a
cookie that fails its signature is ignored."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

COOKIE = "folkmoot_pending"
SALT = "folkmoot.pending-posts"
MAX_IDS = 20


@dataclass(frozen=True)
class PendingCookie:
    post_ids: tuple[int, ...] = ()
    tampered: bool = False


def read(request) -> PendingCookie:
    if COOKIE not in request.COOKIES:
        return PendingCookie()
    try:
        value = request.get_signed_cookie(COOKIE, salt=SALT, max_age=_max_age())
        ids = tuple(int(pk) for pk in value.split(",") if pk)
    except (signing.BadSignature, ValueError):
        return PendingCookie(tampered=True)
    return PendingCookie(post_ids=ids)


def _max_age() -> int:
    return settings.FOLKMOOT["GUEST_EXPIRE_AFTER_DAYS"] * 24 * 60 * 60


def remember(request, response, post_id: int) -> None:
    ids = [pk for pk in read(request).post_ids if pk != post_id] + [post_id]
    response.set_signed_cookie(
        COOKIE,
        ",".join(str(pk) for pk in ids[-MAX_IDS:]),
        salt=SALT,
        max_age=_max_age(),
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


def forget_if_tampered(pending: PendingCookie, response) -> None:
    if pending.tampered:
        response.delete_cookie(COOKIE)
