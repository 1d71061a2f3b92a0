from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from folkmoot.accounts.models import User
from folkmoot.discussions import policy as discussions_policy
from folkmoot.discussions.models import Post, Topic
from folkmoot.faults.refusals import refusal_response
from folkmoot.first_use import ModuleOnFirstUse
from folkmoot.forums.models import Category
from folkmoot.forums.policy import moderates_anything
from folkmoot.refusal import Refusal

from . import queries
from .forms import (
    BanForm,
    HideMemberPostsForm,
    LogFilterForm,
    MergeForm,
    ReasonForm,
    ReportForm,
    SelectedPostsForm,
    SuspendForm,
    WarnForm,
)
from .models import ModerationLog, Report

# Writing's services load with the first write: a worker that only shows pages never
# imports them (first_use.py).
discussions = ModuleOnFirstUse("folkmoot.discussions.services")
services = ModuleOnFirstUse("folkmoot.moderation.services")


def _render_queue(request, *, refused_post_id=None, reason="", error="", status=200):
    context = {
        "entries": queries.queue_for(request.user),
        "reported": queries.reported_posts_for(request.user),
        "nominated": queries.nominated_posts_for(request.user),
        # A refused rejection: its reason is shown again, with what was wrong with it.
        "refused_post_id": refused_post_id,
        "refused_reason": reason,
        "refused_error": error,
        "reason_max_length": services.REJECT_REASON_MAX_LENGTH,
    }
    return render(request, "moderation/queue.html", context, status=status)


@login_required
@require_safe
def queue(request):
    if not moderates_anything(request.user):
        raise Http404("No such page.")
    return _render_queue(request)


def _decide(request, post_id: int, decision):
    post = get_object_or_404(Post.objects.select_related("topic__category", "author"), pk=post_id)
    try:
        decision(post=post, moderator=request.user)
    except Refusal as refusal:

        def render_form(*, status: int, refusal: str | None):
            return _render_queue(
                request,
                refused_post_id=post.pk,
                reason=request.POST.get("reason", ""),
                error=refusal or "",
                status=status,
            )

        return refusal_response(request, refusal, render_form=render_form)
    return redirect("moderation_queue")


@login_required
@require_POST
def approve(request, post_id: int):
    def decide(*, post, moderator):
        services.approve_post(post=post, moderator=moderator, origin=_origin(request))
        messages.success(
            request, _("Approved the post in “%(title)s”.") % {"title": post.topic.title}
        )

    return _decide(request, post_id, decide)


@login_required
@require_POST
def reject(request, post_id: int):
    def decide(*, post, moderator):
        services.reject_post(
            post=post,
            moderator=moderator,
            reason=request.POST.get("reason", ""),
            origin=_origin(request),
        )
        messages.success(
            request, _("Rejected the post in “%(title)s”.") % {"title": post.topic.title}
        )

    return _decide(request, post_id, decide)


def _origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


# --- Topic tools (forms on the topic page, for moderators of its category) ------------------


def _moderated_topic(request, topic_id: int) -> Topic:
    topic = get_object_or_404(Topic.objects.select_related("category"), pk=topic_id)
    if not discussions_policy.can_moderate_topic(request.user, topic):
        raise Http404("No such topic.")
    return topic


def _moderated_post(request, post_id: int) -> Post:
    post = get_object_or_404(
        Post.objects.select_related("topic__category", "author"), pk=post_id, number__isnull=False
    )
    if not discussions_policy.can_moderate_post(request.user, post):
        raise Http404("No such post.")
    return post


def _yes(request, name: str) -> bool:
    return request.POST.get(name) == "1"


@login_required
@require_POST
def pin_topic(request, topic_id: int):
    topic = _moderated_topic(request, topic_id)
    pinned = _yes(request, "pinned")
    discussions.pin_topic(topic=topic, actor=request.user, pinned=pinned)
    messages.success(request, _("Pinned the topic.") if pinned else _("Unpinned the topic."))
    return redirect(topic.get_absolute_url())


@login_required
@require_POST
def lock_topic(request, topic_id: int):
    topic = _moderated_topic(request, topic_id)
    locked = _yes(request, "locked")
    discussions.lock_topic(topic=topic, actor=request.user, locked=locked)
    messages.success(request, _("Locked the topic.") if locked else _("Unlocked the topic."))
    return redirect(topic.get_absolute_url())


@login_required
@require_POST
def move_topic(request, topic_id: int):
    topic = _moderated_topic(request, topic_id)
    category_id = request.POST.get("category", "")
    if not category_id.isascii() or not category_id.isdigit():
        raise Http404("No such category.")
    to = get_object_or_404(Category, pk=int(category_id))
    if discussions.move_topic(topic=topic, actor=request.user, to=to):
        messages.success(request, _("Moved the topic to %(category)s.") % {"category": to.name})
    return redirect(topic.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def merge_topic(request, topic_id: int):
    """Merge this topic into another: a form (GET, or the topic page's), then the merge."""
    topic = _moderated_topic(request, topic_id)
    form = MergeForm(request.POST if request.method == "POST" else None)

    def render_form(*, status: int = 200, refusal: str | None = None):
        context = {"topic": topic, "form": form, "refusal": refusal}
        return render(request, "moderation/merge.html", context, status=status)

    if request.method == "POST" and form.is_valid():
        into = Topic.objects.select_related("category").filter(pk=form.cleaned_data["into"]).first()
        if into is None or not discussions_policy.can_moderate_topic(request.user, into):
            form.add_error("into", _("No such topic among those you moderate."))
            return render_form(status=400)
        try:
            merged = discussions.merge_topics(
                source=topic, into=into, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except Refusal as refusal:
            return refusal_response(request, refusal, form=form, render_form=render_form)
        if merged:
            messages.success(
                request, _("Merged “%(title)s” into this topic.") % {"title": topic.title}
            )
        return redirect(into.get_absolute_url())
    return render_form(status=400 if form.errors else 200)


def _posted_ids(request) -> list[int]:
    return [
        int(value)
        for value in request.POST.getlist("post")
        if value.isascii() and value.isdigit() and len(value) < 10
    ]


@login_required
@require_POST
def selected_posts(request, topic_id: int):
    """The posts ticked on a topic page: hide, delete (after a confirmation), split into a new
    topic or move to another. A refusal shows the form again with the choice kept."""
    topic = _moderated_topic(request, topic_id)
    post_ids = _posted_ids(request)
    categories = queries.categories_moderated_by(request.user)
    form = SelectedPostsForm(request.POST, post_ids=post_ids, categories=categories)

    def render_form(*, status: int = 200, refusal: str | None = None):
        context = {
            "topic": topic,
            "form": form,
            "posts": queries.chosen_posts(topic, post_ids),
            "categories": categories,
            "refusal": refusal,
        }
        return render(request, "moderation/selected_posts.html", context, status=status)

    if not form.is_valid():
        return render_form(status=400)
    data = form.cleaned_data
    action = data["action"]
    if action == "delete" and request.POST.get("confirmed") != "1":
        return render_form()  # "Delete these N posts?" with the button that does it
    try:
        done = _act_on_selected(request, topic, data)
    except Refusal as refusal:
        return refusal_response(request, refusal, form=form, render_form=render_form)
    messages.success(request, done.message)
    return redirect(done.url)


@dataclass(frozen=True)
class _Done:
    message: str
    url: str


def _act_on_selected(request, topic: Topic, data) -> _Done:
    ids, actor, reason = data["post"], request.user, data["reason"]
    action = data["action"]
    if action in ("hide", "delete"):
        act = discussions.hide_posts if action == "hide" else discussions.delete_posts
        count = act(topic=topic, post_ids=ids, actor=actor, reason=reason)
        if action == "hide":
            done = ngettext(
                "Hid %(count)s post. Restore each from its place to undo.",
                "Hid %(count)s posts. Restore each from its place to undo.",
                count,
            )
        else:
            done = ngettext(
                "Deleted %(count)s post. Restore each from its place to undo.",
                "Deleted %(count)s posts. Restore each from its place to undo.",
                count,
            )
        return _Done(done % {"count": count}, topic.get_absolute_url())
    if action == "split":
        category = get_object_or_404(Category, pk=data["category"])
        new = discussions.split_posts(
            topic=topic,
            post_ids=ids,
            actor=actor,
            title=data["title"],
            category=category,
            reason=reason,
        )
        if new is None:
            return _Done(
                _("Nothing was split: the posts changed meanwhile."), topic.get_absolute_url()
            )
        split = ngettext(
            "Split %(count)s post into this topic.",
            "Split %(count)s posts into this topic.",
            len(ids),
        )
        return _Done(split % {"count": len(ids)}, new.get_absolute_url())
    to = Topic.objects.select_related("category").filter(pk=data["to"]).first()
    if to is None or not discussions_policy.can_moderate_topic(actor, to):
        raise Refusal(_("No such topic among those you moderate."), field="to", code="no_topic")
    count = discussions.move_posts(topic=topic, post_ids=ids, to=to, actor=actor, reason=reason)
    moved = ngettext(
        "Moved %(count)s post into this topic.", "Moved %(count)s posts into this topic.", count
    )
    return _Done(moved % {"count": count}, to.get_absolute_url())


def _form_about_post(request, post: Post, *, form_class, template: str, act, context=None):
    """A form about one post: shown on GET; on a valid POST, `act(cleaned_data)` calls the
    service and answers (the message to show, where to go next). A refusal shows the form
    again with what was typed."""
    form = form_class(request.POST if request.method == "POST" else None)

    def render_form(*, status: int = 200, refusal: str | None = None):
        page = {"post": post, "form": form, "refusal": refusal, **(context or {})}
        return render(request, template, page, status=status)

    if request.method == "POST" and form.is_valid():
        try:
            message, next_url = act(form.cleaned_data)
        except Refusal as refusal:
            return refusal_response(request, refusal, form=form, render_form=render_form)
        messages.success(request, message)
        return redirect(next_url)
    return render_form(status=400 if form.errors else 200)


def _post_action(request, post_id: int, *, action: str):
    """A confirmation page (GET) and the action (POST): hide with a reason, or delete."""
    post = _moderated_post(request, post_id)

    def act(data):
        if action == "hide":
            topic_went = discussions.hide_post(
                post=post, actor=request.user, reason=data["reason"]
            ).topic
        else:
            topic_went = discussions.delete_post(
                post=post, actor=request.user, reason=data["reason"]
            )
        # Moderators see it in its place, with the button that undoes it.
        if topic_went:
            done = (
                _("Hid the topic “%(title)s”. Restore it from its place to undo.")
                if action == "hide"
                else _("Deleted the topic “%(title)s”. Restore it from its place to undo.")
            )
        else:
            done = (
                _("Hid post #%(number)s. Restore it from its place to undo.")
                if action == "hide"
                else _("Deleted post #%(number)s. Restore it from its place to undo.")
            )
        return done % {"title": post.topic.title, "number": post.number}, post.get_absolute_url()

    return _form_about_post(
        request,
        post,
        form_class=ReasonForm,
        template="moderation/post_action.html",
        act=act,
        context={"action": action},
    )


@login_required
@require_http_methods(["GET", "POST"])
def hide_post(request, post_id: int):
    return _post_action(request, post_id, action="hide")


@login_required
@require_http_methods(["GET", "POST"])
def delete_post(request, post_id: int):
    return _post_action(request, post_id, action="delete")


@login_required
@require_POST
def restore_post(request, post_id: int):
    post = _moderated_post(request, post_id)
    if discussions.restore_post(post=post, actor=request.user):
        messages.success(request, _("Restored post #%(number)s.") % {"number": post.number})
    return redirect(post.get_absolute_url())


# --- Reports ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_post(request, post_id: int):
    post = get_object_or_404(
        Post.objects.select_related("topic__category", "author"),
        pk=post_id,
        status=Post.Status.PUBLISHED,
    )
    if post.author_id == request.user.pk or not discussions_policy.can_view_topic(
        request.user, post.topic
    ):
        raise Http404("No such post.")  # nobody reports their own post

    def act(data):
        services.report_post(
            post=post, reporter=request.user, reason=data["reason"], note=data["note"]
        )
        return _("Thank you: the moderators will look at this post."), post.topic.get_absolute_url()

    return _form_about_post(
        request, post, form_class=ReportForm, template="moderation/report.html", act=act
    )


@login_required
@require_POST
def resolve_reports(request, post_id: int):
    outcome = request.POST.get("outcome", "")

    def decide(*, post, moderator):
        closed = services.resolve_reports(
            post=post, moderator=moderator, outcome=outcome, reason=request.POST.get("reason", "")
        )
        if closed:
            label = str(Report.Outcome(outcome).label)
            label = label[:1].lower() + label[1:]  # German keeps its nouns' capitals
            done = ngettext(
                "Closed %(count)s report: %(outcome)s.",
                "Closed %(count)s reports: %(outcome)s.",
                closed,
            )
            messages.success(request, done % {"count": closed, "outcome": label})

    return _decide(request, post_id, decide)


@login_required
@require_POST
def recommend_nominated(request, post_id: int):
    """Recommend a nominated post from the queue (the nominators are told)."""

    def decide(*, post, moderator):
        try:
            discussions.recommend_post(
                post=post, moderator=moderator, note=request.POST.get("note", "")
            )
        except ValidationError as error:
            raise Refusal(" ".join(error.messages), field="note") from error
        messages.success(
            request,
            _("Recommended post #%(number)s in “%(title)s”.")
            % {"number": post.number, "title": post.topic.title},
        )

    return _decide(request, post_id, decide)


@login_required
@require_POST
def dismiss_nominations(request, post_id: int):
    def decide(*, post, moderator):
        dismissed = discussions.dismiss_nominations(post=post, moderator=moderator)
        if dismissed:
            done = ngettext(
                "Dismissed %(count)s nomination.", "Dismissed %(count)s nominations.", dismissed
            )
            messages.success(request, done % {"count": dismissed})

    return _decide(request, post_id, decide)


# --- The log ---------------------------------------------------------------------------------


@login_required
@require_safe
def log(request):
    if not moderates_anything(request.user):
        raise Http404("No such page.")
    action = request.GET.get("action", "")
    page = queries.log_page(
        request.user,
        moderator=request.GET.get("moderator", "").strip()[:150],
        member=request.GET.get("member", "").strip()[:150],
        category=_int_or_none(request.GET.get("category", "")),
        action=action if action in ModerationLog.Action.values else "",
        before_id=_int_or_none(request.GET.get("before", "")),
    )
    filters = LogFilterForm(
        request.GET, categories=page.categories, actions=ModerationLog.Action.choices
    )
    more = request.GET.copy()
    if page.entries:
        more["before"] = page.entries[-1].pk
    context = {"page": page, "filters": filters, "more_query": more.urlencode()}
    return render(request, "moderation/log.html", context)


def _int_or_none(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


# --- Members ---------------------------------------------------------------------------------


def _post_by_member(request, post_id: int) -> Post:
    """A post a moderator acts on its author from; a guest's post has no member to act on."""
    post = _moderated_post(request, post_id)
    if post.author is None:
        raise Http404("No such member.")
    return post


@login_required
@require_http_methods(["GET", "POST"])
def warn_member(request, post_id: int):
    post = _post_by_member(request, post_id)

    def act(data):
        services.warn_member(
            post=post,
            moderator=request.user,
            reason=data["reason"],
            points=data["points"],
            expires_in_days=data["expires_in_days"],
        )
        return _("Warned %(member)s.") % {
            "member": post.author.display_name
        }, post.get_absolute_url()

    return _form_about_post(
        request, post, form_class=WarnForm, template="moderation/warn.html", act=act
    )


@login_required
@require_safe
def my_warnings(request):
    warnings = queries.warnings_of(request.user)
    return render(request, "moderation/my_warnings.html", {"warnings": warnings})


@login_required
@require_http_methods(["GET", "POST"])
def ban_member(request, post_id: int):
    post = _post_by_member(request, post_id)
    if not request.user.is_staff:
        raise Http404("No such member.")

    def act(data):
        bans = services.ban_member(
            post=post, moderator=request.user, reason=data["reason"], ip_range=data["ip_range"]
        )
        listed = ", ".join(str(ban) for ban in bans)
        done = _("Banned %(member)s: %(bans)s.") % {
            "member": post.author.display_name,
            "bans": listed,
        }
        return done, post.get_absolute_url()

    return _form_about_post(
        request, post, form_class=BanForm, template="moderation/ban.html", act=act
    )


@login_required
@require_http_methods(["GET", "POST"])
def suspend_member(request, post_id: int):
    post = _post_by_member(request, post_id)

    def act(data):
        suspension = services.suspend_member(
            post=post, moderator=request.user, reason=data["reason"], days=data["days"]
        )
        done = _("Suspended %(member)s until %(until)s UTC.") % {
            "member": post.author.display_name,
            "until": date_format(suspension.until, _("j F Y, H:i")),
        }
        return done, post.get_absolute_url()

    return _form_about_post(
        request, post, form_class=SuspendForm, template="moderation/suspend.html", act=act
    )


def _member_for_moderators(request, member_id: int) -> User:
    if not moderates_anything(request.user):
        raise Http404("No such member.")
    return get_object_or_404(User.objects.defer("password"), pk=member_id)


@login_required
@require_safe
def member(request, member_id: int):
    """A member as moderators see them: addresses, accounts sharing them, suspension; staff
    also hide (or restore) every post of theirs at once."""
    member = _member_for_moderators(request, member_id)
    context = {
        "overview": queries.member_overview(request.user, member),
        "hide_form": HideMemberPostsForm(),
    }
    return render(request, "moderation/member.html", context)


@login_required
@require_POST
def hide_member_posts(request, member_id: int):
    member = _member_for_moderators(request, member_id)
    form = HideMemberPostsForm(request.POST)
    if not form.is_valid():
        raise Http404("No such member.")  # only a hand-made request has a 500-char+ reason
    try:
        hidden = services.hide_member_posts(
            member=member, moderator=request.user, reason=form.cleaned_data["reason"]
        )
    except Refusal as refusal:
        return refusal_response(request, refusal)
    done = ngettext(
        "Hid %(count)s post of %(member)s.", "Hid %(count)s posts of %(member)s.", hidden
    )
    messages.success(request, done % {"count": hidden, "member": member.display_name})
    return redirect("moderation_member", member_id=member.pk)


@login_required
@require_POST
def restore_member_posts(request, member_id: int):
    member = _member_for_moderators(request, member_id)
    restored = services.restore_member_posts(member=member, moderator=request.user)
    done = ngettext(
        "Restored %(count)s post of %(member)s.",
        "Restored %(count)s posts of %(member)s.",
        restored,
    )
    messages.success(request, done % {"count": restored, "member": member.display_name})
    return redirect("moderation_member", member_id=member.pk)
