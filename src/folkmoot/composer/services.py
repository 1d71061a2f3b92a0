"""Writes the composer makes: drafts, uploads, and tying uploads to the posts that use them."""

import logging
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from folkmoot.accounts.models import User
from folkmoot.fetcher import FetchRefused, FetchSlots, fetch
from folkmoot.moderation import limits
from folkmoot.refusal import Refusal

from . import policy
from .images import IMAGE_ACCEPT, ImageRefused, clean_image
from .models import Attachment, Draft

logger = logging.getLogger(__name__)


STALE_DRAFT_MESSAGE = gettext_noop(
    "This draft was changed in another window. Reload to see the newer text."
)


class DraftRefused(Refusal):
    pass


class StaleDraft(DraftRefused):
    """A save from a tab that has not seen the newest draft."""

    def __init__(self) -> None:
        super().__init__(_(STALE_DRAFT_MESSAGE), status=409)


class UploadRefused(Refusal):
    pass


class QuotaExceeded(UploadRefused):
    """The member's upload space is used up (their own fact, safe to tell them as it is)."""

    def __init__(self) -> None:
        super().__init__(_("You have used all your upload space."), status=413)


# Whatever went wrong with an image by URL (an address we refuse, a dead or slow server, a file
# that is no image or too large), the member hears the same: the answer must not tell a prober
# anything about the network behind us. The log has the detail.
URL_UPLOAD_FAILED = gettext_noop("We could not get an image from that link.")
URL_UPLOADS_BUSY = gettext_noop(
    "Too many images are being fetched right now. Try again in a minute."
)
# A web process fetches this many images by URL at once; the rest are refused at once, so slow
# far servers can never hold the threads that serve pages.
_url_upload_slots = FetchSlots()


def _live_drafts():
    cutoff = timezone.now() - timedelta(days=settings.FOLKMOOT["DRAFT_EXPIRY_DAYS"])
    return Draft.objects.filter(updated_at__gte=cutoff)


# What a draft is for: a topic (reply), a category (new topic) or a post (edit), by id.
DRAFT_KEY = re.compile(r"(?:topic|category|post)-[0-9]{1,18}")


def _check_key(key: str) -> None:
    if not DRAFT_KEY.fullmatch(key):
        raise DraftRefused(_("No such place for a draft."), status=404)


def get_draft(*, author: User, key: str) -> Draft | None:
    _check_key(key)
    return _live_drafts().filter(author=author, key=key).first()


def _check_draft_body(body: str) -> None:
    """The same limits as a post, refused out loud: a draft is never cut short silently."""
    if "\x00" in body:
        raise DraftRefused(_("Null characters are not allowed."))
    try:
        body.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: no database can store them as text
        raise DraftRefused(_("This draft is not valid text.")) from None
    max_length = settings.FOLKMOOT["POST_MAX_LENGTH"]
    length = len(body.replace("\r\n", "\n").strip())
    if length > max_length:
        raise DraftRefused(
            _(
                "Drafts can be at most %(max)s characters long, like a post "
                "(this one has %(length)s)."
            )
            % {
                "max": number_format(max_length, force_grouping=True),
                "length": number_format(length, force_grouping=True),
            },
            status=413,
        )


def _make_room_for_a_draft(author: User) -> None:
    """At the cap, a member's least recently saved drafts go to make room for the new one:
    what they are writing now is kept, and the oldest draft is the one least likely to be
    finished (its browser still holds a copy)."""
    cap = settings.FOLKMOOT["DRAFTS_PER_MEMBER"]
    surplus = Draft.objects.filter(author=author).order_by("-updated_at", "-pk")[cap - 1 :]
    Draft.objects.filter(pk__in=list(surplus.values_list("pk", flat=True))).delete()


@transaction.atomic
def save_draft(*, author: User, key: str, body: str, seq: int) -> Draft:
    """Save if `seq` is the newest the server has; raise StaleDraft otherwise, DraftRefused
    if the draft is not one a post could be."""
    _check_key(key)
    _check_draft_body(body)
    # Lock the member's row so two new drafts at once cannot both slip past the cap.
    User.objects.select_for_update().filter(pk=author.pk).first()
    draft = Draft.objects.select_for_update().filter(author=author, key=key).first()
    if draft is None:
        _make_room_for_a_draft(author)
        draft = Draft.objects.create(author=author, key=key)
    if seq != draft.seq:
        raise StaleDraft
    draft.body = body
    draft.seq = F("seq") + 1
    draft.updated_at = timezone.now()
    draft.save()
    draft.refresh_from_db(fields=["seq"])
    return draft


def delete_draft(*, author: User, key: str) -> None:
    _check_key(key)
    Draft.objects.filter(author=author, key=key).delete()


def _allowance_or_refuse(owner: User, ip_address: str | None) -> policy.UploadAllowance:
    # A banned address or network may not post, so it may not store images here either.
    limits.check_ban(email=owner.email, ip_address=ip_address)
    allowance = policy.upload_allowance(owner)
    if not allowance.may_upload:
        raise UploadRefused(_("You cannot upload images."), status=403)
    return allowance


def _refuse_if_too_large(allowance: policy.UploadAllowance, size: int) -> None:
    if size > allowance.max_file_bytes:
        limit = max(1, allowance.max_file_bytes // (1024 * 1024))
        raise UploadRefused(
            _("That image is too large: the limit is %(limit)s MB.") % {"limit": limit},
            status=413,
        )


def _store(
    *, owner: User, allowance: policy.UploadAllowance, data: bytes, original_name: str
) -> Attachment:
    _refuse_if_too_large(allowance, len(data))
    try:
        image = clean_image(data)
    except ImageRefused as error:
        raise UploadRefused(str(error)) from None
    with transaction.atomic():
        # Lock the member's row so two uploads at once cannot both slip under the quota.
        User.objects.select_for_update().filter(pk=owner.pk).first()
        used = owner.attachments.aggregate(total=Sum("size_bytes"))["total"] or 0
        if used + len(image.content) > allowance.quota_bytes:
            raise QuotaExceeded
        return Attachment.objects.create(
            owner=owner,
            file=ContentFile(image.content, name=f"{secrets.token_hex(8)}.{image.extension}"),
            original_name=original_name[:255],
            width=image.width,
            height=image.height,
            size_bytes=len(image.content),
        )


def upload_image(*, owner: User, uploaded_file, ip_address: str | None = None) -> Attachment:
    allowance = _allowance_or_refuse(owner, ip_address)
    _refuse_if_too_large(allowance, uploaded_file.size)
    return _store(
        owner=owner,
        allowance=allowance,
        data=uploaded_file.read(),
        original_name=uploaded_file.name,
    )


def upload_image_from_url(*, owner: User, url: str, ip_address: str | None = None) -> Attachment:
    """Fetch an image by URL (through the guarded fetcher, a few at a time per process) and
    store it like an upload. Every failure past the member's own limits reads the same."""
    allowance = _allowance_or_refuse(owner, ip_address)
    used = owner.attachments.aggregate(total=Sum("size_bytes"))["total"] or 0
    if used >= allowance.quota_bytes:
        raise QuotaExceeded
    if not _url_upload_slots.try_acquire(settings.FOLKMOOT["URL_UPLOADS_PER_PROCESS"]):
        raise UploadRefused(_(URL_UPLOADS_BUSY), status=503, retry_after=30)
    try:
        fetched = fetch(url, max_bytes=allowance.max_file_bytes, accept=IMAGE_ACCEPT)
    except FetchRefused:
        raise UploadRefused(_(URL_UPLOAD_FAILED)) from None
    finally:
        _url_upload_slots.release()
    try:
        return _store(
            owner=owner,
            allowance=allowance,
            data=fetched.content,
            original_name=url.rsplit("/")[-1],
        )
    except QuotaExceeded:
        raise
    except UploadRefused as refusal:
        logger.warning("Image by URL refused: %r: %s", url, refusal)
        raise UploadRefused(_(URL_UPLOAD_FAILED)) from None


def attach_to_post(post) -> None:
    """Tie the author's uploads that the post's body shows to the post."""
    if not post.author_id:
        return
    names = re.findall(re.escape(settings.MEDIA_URL) + r"(attachments/[\w/.-]+)", post.body or "")
    if names:
        Attachment.objects.filter(owner_id=post.author_id, file__in=names).update(post=post)


def remove_unused_attachments() -> int:
    """Delete uploads no post used within the allowed time. Returns how many went."""
    hours = settings.FOLKMOOT["UNUSED_ATTACHMENT_HOURS"]
    stale = Attachment.objects.filter(
        post__isnull=True, created_at__lt=timezone.now() - timedelta(hours=hours)
    )
    removed = 0
    for attachment in stale.iterator():
        attachment.file.delete(save=False)
        attachment.delete()
        removed += 1
    return removed


def remove_expired_drafts() -> int:
    cutoff = timezone.now() - timedelta(days=settings.FOLKMOOT["DRAFT_EXPIRY_DAYS"])
    removed, _ = Draft.objects.filter(updated_at__lt=cutoff).delete()
    return removed
