"""Notification emails, queued in the mail outbox (folkmoot.mail) in the caller's transaction.

Each has a plain-text and an HTML part rendered from one template, the topic's thread headers
(`Message-ID`, `In-Reply-To`, `References`, so mail clients thread a topic), and RFC 8058
one-click unsubscribe headers with a signed link that needs no sign-in. Each is written in its
recipient's language (`language`, a member's choice or blank for the site's), whoever's
request or worker builds it."""

from email.utils import make_msgid, parseaddr
from functools import wraps

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from folkmoot.accounts.language import in_language

from . import kinds, tokens


def origin() -> str:
    return f"{'https' if settings.HTTPS else 'http'}://{settings.SITE_DOMAIN}"


def _domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def topic_thread_id(topic_id: int) -> str:
    return f"<topic-{topic_id}@{_domain()}>"


def unsubscribe_url(token: str) -> str:
    return origin() + reverse("unsubscribe", kwargs={"token": token})


def _message(*, subject: str, template: str, context: dict, to: str, token: str, topic_id=None):
    context = {**context, "site_name": settings.SITE_NAME, "origin": origin()}
    context["unsubscribe_url"] = unsubscribe_url(token)
    one_click = origin() + reverse("unsubscribe_one_click", kwargs={"token": token})
    text = render_to_string(template, {**context, "html": False})
    html = render_to_string(template, {**context, "html": True})
    headers = {
        "Message-ID": make_msgid(domain=_domain()),
        "List-Unsubscribe": f"<{one_click}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    if topic_id is not None:
        headers["In-Reply-To"] = topic_thread_id(topic_id)
        headers["References"] = topic_thread_id(topic_id)
    message = EmailMultiAlternatives(
        f"{subject} · {settings.SITE_NAME}", text, None, [to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def _in_recipient_language(build):
    """Subject and bodies in the recipient's language: `language` is their stored choice."""

    @wraps(build)
    def in_their_language(*args, language: str, **kwargs):
        with in_language(language):
            return build(*args, **kwargs)

    return in_their_language


@_in_recipient_language
def queue_instant(kind: str, *, to: str, member_id: int, post, topic, actor, note: str, follow):
    token = (
        tokens.make(member_id=member_id, follow_id=follow.pk)
        if follow is not None
        else tokens.make(member_id=member_id, kind=kind)
    )
    title = topic.title if topic is not None else ""
    subject = (
        _("%(kind)s: “%(title)s”") % {"kind": kinds.label(kind), "title": title}
        if title
        else kinds.label(kind)
    )
    link = origin() + (
        post.get_absolute_url() if post is not None else topic.get_absolute_url() if topic else "/"
    )
    context = {
        "kind_label": kinds.label(kind),
        "topic": topic,
        "post": post,
        "actor": actor,
        "note": kinds.shown_note(kind, note),
        "link": link,
        "follow": follow,
    }
    message = _message(
        subject=subject,
        template="notifications/email/instant.txt",
        context=context,
        to=to,
        token=token,
        topic_id=topic.pk if topic is not None else None,
    )
    get_connection().send_messages([message])


@_in_recipient_language
def queue_digest(*, to: str, member_id: int, frequency: str, notifications: list) -> None:
    context = {"frequency": frequency, "notifications": notifications}
    message = _message(
        subject=_digest_subject(frequency, len(notifications)),
        template="notifications/email/digest.txt",
        context=context,
        to=to,
        token=tokens.make(member_id=member_id, kind=f"digest:{frequency}"),
    )
    get_connection().send_messages([message])


def _digest_subject(frequency: str, count: int) -> str:
    if frequency == "daily":
        subject = ngettext(
            "Your daily digest: %(count)s new", "Your daily digest: %(count)s new", count
        )
    else:
        subject = ngettext(
            "Your weekly digest: %(count)s new", "Your weekly digest: %(count)s new", count
        )
    return subject % {"count": count}
