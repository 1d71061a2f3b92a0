"""allauth, told about guests' waiting posts: whoever signs in (or confirms an address) with
posts waiting under a verified address of theirs is shown them first, to publish or discard.
Nothing is published for them: anyone can type anyone's address into the guest form."""

from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpResponseRedirect
from django.urls import reverse

from folkmoot.accounts.language import in_language_of
from folkmoot.accounts.queries import member_with_email

from . import queries

# Session key: the EmailAddress this browser signed up with while a guest post waited under it.
SIGNED_UP_ADDRESS = "folkmoot_guest_signed_up_address"


def waiting_posts_url(then: str = "") -> str:
    url = reverse("waiting_posts")
    if not then or then.startswith(url):
        return url
    return f"{url}?{urlencode({'next': then})}"


class AccountAdapter(DefaultAccountAdapter):
    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        if isinstance(response, HttpResponseRedirect) and queries.has_waiting_guest_posts(user):
            return HttpResponseRedirect(waiting_posts_url(response.url))
        return response

    def get_email_verification_redirect_url(self, email_address):
        """A member already signed in who confirms another address."""
        url = super().get_email_verification_redirect_url(email_address)
        if self.request.user.is_authenticated and queries.has_waiting_guest_posts(
            self.request.user
        ):
            return waiting_posts_url(url or "")
        return url

    def send_mail(self, template_prefix, email, context):
        """An account email (confirmation, password reset) to a member who chose a language
        is written in it; otherwise in the language of the request that asks for it, most
        often the recipient's own."""
        member = member_with_email(email)
        if member is None or not member.language:
            return super().send_mail(template_prefix, email, context)
        with in_language_of(member):
            return super().send_mail(template_prefix, email, context)

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        """A guest who signs up with the address they posted under already has an email from
        us: its finish link confirms the address when opened in this browser (views.
        finish_registering), so no second email. Anywhere else, signing in asks for
        allauth's confirmation as usual."""
        address = emailconfirmation.email_address
        if signup and queries.has_unclaimed_guest_post(address.email):
            request.session[SIGNED_UP_ADDRESS] = address.pk
            return
        super().send_confirmation_mail(request, emailconfirmation, signup)
