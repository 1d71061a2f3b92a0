"""Emails about a post's fate: sent to its author when a moderator decides on it, and to the
guest who wrote it (the link to finish registering). Each is queued in the mail outbox
(folkmoot.mail) inside the transaction that made the change: it is sent by the worker, after
commit, and commits with the change or not at all."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from folkmoot.accounts.language import written_for
from folkmoot.accounts.queries import member_with_email

from .models import Post


@written_for(lambda post, **_: post.author)
def tell_author_approved(post: Post, *, origin: str) -> None:
    author = post.author
    if author is None or not author.email:
        return
    send_mail(
        _("Your post in “%(title)s” is published · %(site)s")
        % {"title": post.topic.title, "site": settings.SITE_NAME},
        _("A moderator approved your post. Read it here:")
        + f"\n\n{origin}{post.get_absolute_url()}\n",
        None,
        [author.email],
    )


@written_for(lambda post, **_: post.author)
def tell_author_rejected(post: Post, *, reason: str) -> None:
    author = post.author
    if author is None or not author.email:
        return
    text = _("A moderator decided not to publish your post.")
    if reason:
        text += "\n\n" + _("Reason: %(reason)s") % {"reason": reason}
    text += "\n\n" + _("Your text, so you can keep it:") + f"\n\n{post.body}\n"
    send_mail(
        _("Your post in “%(title)s” was not approved · %(site)s")
        % {"title": post.topic.title, "site": settings.SITE_NAME},
        text,
        None,
        [author.email],
    )


def guest_finish_url(guest) -> str:
    return guest.origin + reverse("guest_finish", kwargs={"token": guest.claim_token})


@written_for(lambda guest, **_: None)  # a guest chose no language: the site's
def tell_guest_post_waits(guest, *, reminder: bool) -> None:
    """The link a guest follows to publish their post (`guest` is a guests.GuestPost)."""
    context = {
        "guest": guest,
        "topic": guest.post.topic,
        "finish_url": guest_finish_url(guest),
        "has_account": member_with_email(guest.email) is not None,
        "reminder": reminder,
        "expire_days": settings.FOLKMOOT["GUEST_EXPIRE_AFTER_DAYS"],
        "site_name": settings.SITE_NAME,
    }
    subject = (
        _("Reminder: your post on %(site)s is waiting for you")
        if reminder
        else _("Finish registering to publish your post on %(site)s")
    ) % {"site": settings.SITE_NAME}
    send_mail(
        subject,
        render_to_string("accounts/email/guest_post.txt", context),
        None,
        [guest.email],
    )
