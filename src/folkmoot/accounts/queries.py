from allauth.account.models import EmailAddress

from folkmoot.discussions.models import Post

from .models import User


def member_with_email(email: str) -> User | None:
    """The member an address belongs to: any address on their account, or their main one."""
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address:
        return address.user
    return User.objects.filter(email__iexact=email).first()


def email_has_account(email: str) -> bool:
    return member_with_email(email) is not None


def guest_posts_for_browser(post_ids) -> list[Post]:
    """A guest's own pending posts (ids from the signed cookie), with their topics."""
    if not post_ids:
        return []
    return list(
        Post.objects.filter(
            pk__in=post_ids,
            status=Post.Status.PENDING,
            author__isnull=True,
            guest__claimed_at__isnull=True,
        )
        .select_related("topic", "guest")
        .order_by("created_at", "pk")
    )
