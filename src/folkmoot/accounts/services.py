"""Writes to members' accounts: one function per action."""

from allauth.account.models import EmailAddress
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import User


@transaction.atomic
def create_admin(*, username: str, email: str, password: str) -> User:
    """A superuser who can sign in to the forum at once: their address is recorded as verified
    (they typed it at the server's own console), so no confirmation email is needed.

    Raises ValidationError for a taken name or address, a bad address or a weak password."""
    validate_email(email)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"The username '{username}' is taken.")
    if EmailAddress.objects.filter(email__iexact=email).exists():
        raise ValidationError(f"The address {email} already belongs to an account.")
    admin = User(username=username, email=email, is_staff=True, is_superuser=True)
    admin.full_clean(exclude=["password"])
    password_validation.validate_password(password, admin)
    admin.set_password(password)
    admin.save()
    EmailAddress.objects.create(user=admin, email=email, verified=True, primary=True)
    return admin


def set_avatar(member: User, *, name: str) -> str:
    """Record a member's avatar file (already stored), or none (""). Returns the one it
    replaced, for the caller to delete after commit."""
    with transaction.atomic():
        previous = (
            User.objects.select_for_update()
            .filter(pk=member.pk)
            .values_list("avatar", flat=True)
            .first()
        )
        User.objects.filter(pk=member.pk).update(avatar=name)
    member.avatar = name
    return previous or ""
