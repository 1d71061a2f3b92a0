from urllib.parse import urlencode

from allauth.account.views import LoginView, SignupView
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from folkmoot.discussions.models import Post
from folkmoot.moderation import antibot

from . import pending_cookie, queries
from .models import GuestPost, User


@never_cache
@require_safe
def antibot_challenge(request):
    """A fresh proof-of-work challenge for the guest reply form's solver, with this browser's
    own CSRF token: the form may come from a page cached for every anonymous reader."""
    return JsonResponse({**antibot.make_challenge(), "csrfToken": get_token(request)})


@require_safe
def finish_registering(request, token: str):
    """The link in a guest's email: on to sign-up with the address filled in, or to sign-in
    when the address already belongs to a member. The post is claimed once they are in."""
    guest = get_object_or_404(
        GuestPost.objects.unclaimed().select_related("post__topic"), claim_token=token
    )
    params = urlencode({"email": guest.email, "next": after_claim_url(guest.post_id)})
    if queries.email_has_account(guest.email):
        response = redirect(f"{reverse('account_login')}?{params}")
    else:
        response = redirect(f"{reverse('account_signup')}?{params}")
    pending_cookie.remember(request, response, guest.post_id)
    return response


def after_claim_url(post_id: int) -> str:
    return reverse("guest_posted", kwargs={"post_id": post_id})


@require_safe
def guest_posted(request, post_id: int):
    """Where a guest lands after registering: the published post, or the topic's last page
    where their browser shows the post still awaiting approval."""
    post = get_object_or_404(Post.objects.select_related("topic"), pk=post_id)
    if post.status == Post.Status.PUBLISHED:
        return redirect(post.get_absolute_url())
    mine = post.pk in pending_cookie.read(request).post_ids or (
        request.user.is_authenticated and post.author_id == request.user.pk
    )
    if post.status != Post.Status.PENDING or not mine:
        raise Http404("No such post.")
    return redirect(f"{post.topic.get_absolute_url()}?page=999999#post-pending-{post.pk}")


class GuestAwareSignupView(SignupView):
    """allauth's sign-up, showing the guest the posts that signing up will publish."""

    def pending_posts(self):
        if not hasattr(self, "_pending_posts"):
            self._pending_posts = queries.guest_posts_for_browser(
                pending_cookie.read(self.request).post_ids
            )
        return self._pending_posts

    def get_initial(self):
        """The display name the guest gave, as a suggested username."""
        initial = super().get_initial()
        names = [post.guest.display_name for post in self.pending_posts()]
        suggestion = slugify(next((name for name in names if name), ""))[:30]
        if suggestion and not User.objects.filter(username__iexact=suggestion).exists():
            initial["username"] = suggestion
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending_posts"] = self.pending_posts()
        return context


signup = GuestAwareSignupView.as_view()


class GuestAwareLoginView(LoginView):
    """allauth's sign-in, with the guest's address filled in when they were sent here."""

    def get_initial(self):
        initial = super().get_initial()
        email = self.request.GET.get("email", "")
        try:
            validate_email(email)
        except ValidationError:
            return initial
        initial["login"] = email
        return initial


login = GuestAwareLoginView.as_view()
