"""Who may upload, and how much."""

from dataclasses import dataclass

from django.conf import settings

from folkmoot.compiled_queries import CompiledQuery

from .models import UploadPolicy

_group_policies = CompiledQuery(lambda user_id: UploadPolicy.objects.filter(group__user=user_id))


@dataclass(frozen=True)
class UploadAllowance:
    may_upload: bool
    max_file_bytes: int
    quota_bytes: int


NO_UPLOADS = UploadAllowance(False, 0, 0)


def upload_allowance(user) -> UploadAllowance:
    """The most generous policy among the member's groups, else the site default."""
    if not (user.is_authenticated and user.is_active):
        return NO_UPLOADS
    # 1 query: the policies of the member's groups.
    policies = _group_policies(user_id=user.pk)
    allowing = [p for p in policies if p.may_upload]
    if allowing:
        return UploadAllowance(
            True,
            max(p.max_file_bytes for p in allowing),
            max(p.quota_bytes for p in allowing),
        )
    if policies:
        return NO_UPLOADS  # the member's groups say no
    default = settings.FOLKMOOT["UPLOADS_DEFAULT"]
    return UploadAllowance(default["may_upload"], default["max_file_bytes"], default["quota_bytes"])


def can_upload(user) -> bool:
    return upload_allowance(user).may_upload
