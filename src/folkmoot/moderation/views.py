from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from folkmoot.discussions.models import Post

from . import policy, queries, services


@login_required
@require_safe
def queue(request):
    if not policy.can_use_queue(request.user):
        raise Http404("No such page.")
    return render(request, "moderation/queue.html", {"entries": queries.queue_for(request.user)})


def _decide(request, post_id: int, decision):
    post = get_object_or_404(Post.objects.select_related("topic__category", "author"), pk=post_id)
    try:
        decision(post=post, moderator=request.user)
    except PermissionDenied:
        raise Http404("No such post.") from None
    return redirect("moderation_queue")


@login_required
@require_POST
def approve(request, post_id: int):
    def decide(*, post, moderator):
        services.approve_post(post=post, moderator=moderator, origin=_origin(request))
        messages.success(request, f"Approved the post in “{post.topic.title}”.")

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
        messages.success(request, f"Rejected the post in “{post.topic.title}”.")

    return _decide(request, post_id, decide)


def _origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"
