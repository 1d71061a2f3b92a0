"""Members' actions on their own account and towards other members: one function per action."""

import secrets
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from folkmoot.accounts import services as accounts
from folkmoot.accounts.language import is_offered
from folkmoot.accounts.models import DISPLAY_NAME_MAX, SIGNATURE_MAX, Ignore, Theme, User
from folkmoot.composer import policy as upload_policy
from folkmoot.composer import rendering
from folkmoot.composer.images import ImageRefused, square_avatar
from folkmoot.discussions import page_cache
from folkmoot.moderation import limits
from folkmoot.refusal import NotFound, Refusal

from . import policy

AVATAR_SIDE = 256


def set_avatar(*, member: User, data: bytes, ip_address: str | None = None) -> str:
    """A member's picture: checked and re-encoded through the image pipeline, cropped square.
    Those who may not upload images (the upload policy, the ban list) may not set one."""
    limits.check_ban(email=member.email, ip_address=ip_address)
    allowance = upload_policy.upload_allowance(member)
    if not allowance.may_upload:
        raise Refusal(_("You cannot upload images."), status=403)
    if len(data) > allowance.max_file_bytes:
        limit = max(1, allowance.max_file_bytes // (1024 * 1024))
        raise Refusal(
            _("That image is too large: the limit is %(limit)s MB.") % {"limit": limit}, status=413
        )
    try:
        image = square_avatar(data, side=AVATAR_SIDE)
    except ImageRefused as error:
        raise Refusal(str(error)) from None
    name = default_storage.save(
        f"avatars/{member.pk}-{secrets.token_hex(8)}.{image.extension}",
        ContentFile(image.content),
    )
    _replace_avatar(member, name)
    return name


def remove_avatar(*, member: User) -> None:
    _replace_avatar(member, "")


def _replace_avatar(member: User, name: str) -> None:
    previous = accounts.set_avatar(member, name=name)
    # Every page that shows the member's posts shows the new picture.
    transaction.on_commit(page_cache.bump_version)
    if previous and previous != name:
        transaction.on_commit(lambda: default_storage.delete(previous))


# --- ignoring -------------------------------------------------------------------------------


def ignore(*, member: User, other: User) -> None:
    """`member` stops seeing `other`'s posts (collapsed) and hearing of their mentions and
    quotes. Ignoring twice is once."""
    if not policy.can_ignore(member, other):
        raise NotFound(_("You cannot ignore this member."))
    Ignore.objects.get_or_create(member=member, ignored=other)


def stop_ignoring(*, member: User, other: User) -> None:
    if not member.is_authenticated:
        raise NotFound(_("You cannot ignore this member."))
    Ignore.objects.filter(member=member, ignored=other).delete()


# --- account settings -----------------------------------------------------------------------

SIGNATURE_TAGS = {"p", "br", "a", "em", "strong", "code", "del"}


def signature_html(text: str) -> str:
    """The signature's Markdown through the site's sanitizer, then cut down to inline text and
    links: no images, headings, lists or embeds under every post."""
    if not text.strip():
        return ""
    import nh3  # on a member's settings only (composer.rendering says why)

    return nh3.clean(
        rendering.render_markdown(text),
        tags=SIGNATURE_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener noreferrer",
    ).strip()


def update_settings(
    *,
    member: User,
    display_name: str,
    signature: str,
    time_zone: str,
    theme: str,
    language: str = "",
) -> None:
    """Save a member's account settings. Raises ValidationError (per field) for bad input,
    saving nothing."""
    display_name = " ".join(display_name.split())
    signature = signature.strip().replace("\r\n", "\n")
    errors: dict[str, str] = {}
    if len(display_name) > DISPLAY_NAME_MAX:
        errors["display_name"] = _("At most %(max)s characters.") % {"max": DISPLAY_NAME_MAX}
    if len(signature) > SIGNATURE_MAX:
        errors["signature"] = _("At most %(max)s characters (%(length)s now).") % {
            "max": SIGNATURE_MAX,
            "length": len(signature),
        }
    if time_zone and time_zone not in available_timezones():
        errors["time_zone"] = _("Choose a time zone from the list.")
    if theme not in Theme.values:
        errors["theme"] = _("Choose light, dark or the same as your device.")
    if language and not is_offered(language):
        errors["language"] = _("Choose a language from the list.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        User.objects.filter(pk=member.pk).update(
            chosen_name=display_name,
            signature=signature,
            signature_html=signature_html(signature),
            time_zone=time_zone,
            theme=theme,
            language=language,
        )
        # Cached pages and post frames show the name and signature.
        transaction.on_commit(page_cache.bump_version)
    member.refresh_from_db()


def set_theme(*, member: User, theme: str) -> None:
    """The header's light/dark toggle, for a signed-in member: kept on the account."""
    if theme not in Theme.values:
        raise Refusal(_("Choose light, dark or system."))
    User.objects.filter(pk=member.pk).update(theme=theme)
    member.theme = theme
