"""Writes the composer makes: drafts, uploads, and tying uploads to the posts that use them."""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from folkmoot.accounts.models import User
from folkmoot.fetcher import FetchRefused, fetch

from . import policy
from .images import ImageRefused, clean_image
from .models import Attachment, Draft


class StaleDraft(Exception):
    """A save from a tab that has not seen the newest draft."""


class UploadRefused(Exception):
    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


def _live_drafts():
    cutoff = timezone.now() - timedelta(days=settings.FOLKMOOT["DRAFT_EXPIRY_DAYS"])
    return Draft.objects.filter(updated_at__gte=cutoff)


def get_draft(*, author: User, key: str) -> Draft | None:
    return _live_drafts().filter(author=author, key=key).first()


@transaction.atomic
def save_draft(*, author: User, key: str, body: str, seq: int) -> Draft:
    """Save if `seq` is the newest the server has; raise StaleDraft otherwise."""
    draft, _ = Draft.objects.select_for_update().get_or_create(author=author, key=key)
    if seq != draft.seq:
        raise StaleDraft
    draft.body = body[: settings.FOLKMOOT["POST_MAX_LENGTH"] * 2]
    draft.seq = F("seq") + 1
    draft.updated_at = timezone.now()
    draft.save()
    draft.refresh_from_db(fields=["seq"])
    return draft


def delete_draft(*, author: User, key: str) -> None:
    Draft.objects.filter(author=author, key=key).delete()


def _allowance_or_refuse(owner: User) -> policy.UploadAllowance:
    allowance = policy.upload_allowance(owner)
    if not allowance.may_upload:
        raise UploadRefused("You cannot upload images.", status=403)
    return allowance


def _refuse_if_too_large(allowance: policy.UploadAllowance, size: int) -> None:
    if size > allowance.max_file_bytes:
        limit = max(1, allowance.max_file_bytes // (1024 * 1024))
        raise UploadRefused(f"That image is too large: the limit is {limit} MB.", status=413)


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
            raise UploadRefused("You have used all your upload space.", status=413)
        return Attachment.objects.create(
            owner=owner,
            file=ContentFile(image.content, name=f"{secrets.token_hex(8)}.{image.extension}"),
            original_name=original_name[:255],
            width=image.width,
            height=image.height,
            size_bytes=len(image.content),
        )


def upload_image(*, owner: User, uploaded_file) -> Attachment:
    allowance = _allowance_or_refuse(owner)
    _refuse_if_too_large(allowance, uploaded_file.size)
    return _store(
        owner=owner,
        allowance=allowance,
        data=uploaded_file.read(),
        original_name=uploaded_file.name,
    )


def upload_image_from_url(*, owner: User, url: str) -> Attachment:
    allowance = _allowance_or_refuse(owner)
    try:
        fetched = fetch(url, max_bytes=allowance.max_file_bytes)
    except FetchRefused as error:
        raise UploadRefused(str(error)) from None
    return _store(
        owner=owner, allowance=allowance, data=fetched.content, original_name=url.rsplit("/")[-1]
    )


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
