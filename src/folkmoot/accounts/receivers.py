"""allauth tells us when an address is confirmed or a member signs in; both claim the pending
guest posts written with a verified address of theirs."""

from allauth.account.signals import email_confirmed, user_logged_in
from django.contrib import messages
from django.dispatch import receiver

from . import services


def _tell(request, posts) -> None:
    if not posts or request is None:
        return
    held = sum(1 for post in posts if post.status != post.Status.PUBLISHED)
    published = len(posts) - held
    try:
        if published:
            messages.success(
                request,
                f"Your post{'s are' if published > 1 else ' is'} now published.",
            )
        if held:
            messages.info(
                request,
                f"Your post{'s are' if held > 1 else ' is'} awaiting approval by a moderator.",
            )
    except messages.MessageFailure:
        pass


@receiver(email_confirmed, dispatch_uid="folkmoot.claim_on_email_confirmed")
def claim_on_email_confirmed(sender, request, email_address, **kwargs):
    posts = services.claim_guest_posts(user=email_address.user, email=email_address.email)
    _tell(request, posts)


@receiver(user_logged_in, dispatch_uid="folkmoot.claim_on_sign_in")
def claim_on_sign_in(sender, request, user, **kwargs):
    _tell(request, services.claim_for_verified_addresses(user=user))
