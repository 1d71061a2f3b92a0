"""Who may do what to whom among members. Services and views ask here."""

from folkmoot.accounts.models import User


def can_ignore(member, other: User) -> bool:
    """Members ignore other active members; not themselves, and not the staff (who must be able
    to reach everyone: a warning or a moderator's note is never hidden away)."""
    return bool(
        member.is_authenticated
        and member.is_active
        and other.is_active
        and other.pk != member.pk
        and not other.is_staff
    )
