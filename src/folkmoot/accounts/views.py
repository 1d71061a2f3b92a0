from urllib.parse import urlencode

from allauth.account.views import SignupView
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from folkmoot.moderation import antibot

from . import pending_cookie, queries
from .models import GuestPost


@never_cache
@require_safe
def antibot_challenge(request):
    """A fresh proof-of-work challenge for the guest reply form's solver."""
    return JsonResponse(antibot.make_challenge())


@require_safe
def finish_registering(request, token: str):
    """The link in a guest's email: on to sign-up with the address filled in, or to sign-in
    when the address already belongs to a member. The post is claimed once they are in."""
    guest = get_object_or_404(
        GuestPost.objects.unclaimed().select_related("post__topic"), claim_token=token
    )
    params = urlencode({"email": guest.email, "next": guest.post.topic.get_absolute_url()})
    if queries.email_has_account(guest.email):
        response = redirect(f"{reverse('account_login')}?{params}")
    else:
        response = redirect(f"{reverse('account_signup')}?{params}")
    pending_cookie.remember(request, response, guest.post_id)
    return response


class GuestAwareSignupView(SignupView):
    """allauth's sign-up, showing the guest the posts that signing up will publish."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending_posts"] = queries.guest_posts_for_browser(
            pending_cookie.read(self.request).post_ids
        )
        return context


signup = GuestAwareSignupView.as_view()
