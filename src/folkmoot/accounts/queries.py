from allauth.account.models import EmailAddress

from folkmoot.compiled_queries import CompiledQuery

from .models import Ignore, User


def member_with_email(email: str) -> User | None:
    """The member an address belongs to: any address on their account, or their main one."""
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address:
        return address.user
    return User.objects.filter(email__iexact=email).first()


def email_has_account(email: str) -> bool:
    return member_with_email(email) is not None


def ignored_ids(viewer) -> frozenset[int]:
    """The members `viewer` ignores: 1 query for members, none for anyone else (whose pages may
    be cached, and who ignore no one)."""
    if not viewer.is_authenticated:
        return frozenset()
    return frozenset(_ignored_ids(member_id=viewer.pk))


_ignored_ids = CompiledQuery(
    lambda member_id: Ignore.objects.filter(member_id=member_id).values_list(
        "ignored_id", flat=True
    )
)


def chosen_language(member_id: int) -> str:
    """The language a member chose: "" for the site's (or no such member). 1 query."""
    chosen = User.objects.filter(pk=member_id).values_list("language", flat=True).first()
    return chosen or ""
