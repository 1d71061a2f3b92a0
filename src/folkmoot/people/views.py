from zoneinfo import available_timezones

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from folkmoot import client_address
from folkmoot.accounts.models import SIGNATURE_MAX, Theme, User
from folkmoot.composer.images import IMAGE_ACCEPT
from folkmoot.moderation import limits
from folkmoot.moderation.limits import LimitExceeded
from folkmoot.refusal import Refusal

from . import queries, services

# The time zones offered on the settings page (IANA names, sorted), read once.
TIME_ZONES = sorted(zone for zone in available_timezones() if "/" in zone or zone == "UTC")

# The page's own labels (the model's choices stay untranslated: no migration per language).
THEME_LABELS = (
    (Theme.SYSTEM, gettext_lazy("Same as my device")),
    (Theme.LIGHT, gettext_lazy("Light")),
    (Theme.DARK, gettext_lazy("Dark")),
)


@require_safe
def profile(request, username: str):
    page = queries.profile_page(username=username, viewer=request.user)
    return render(request, "people/profile.html", {"profile": page})


@login_required
@require_http_methods(["GET", "POST"])
def avatar_settings(request):
    """Upload a picture, or go back to the initial."""
    error, status = None, 200
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                services.remove_avatar(member=request.user)
                messages.success(request, _("Your picture is removed."))
            elif "avatar" in request.FILES:
                services.set_avatar(
                    member=request.user,
                    data=request.FILES["avatar"].read(),
                    ip_address=client_address.of_request(request),
                )
                messages.success(request, _("Your new picture is up."))
            else:
                raise Refusal(_("Choose a picture to upload."))
        except Refusal as refusal:
            error, status = refusal.message, refusal.status
        else:
            return redirect("profile", username=request.user.username)
    context = {"error": error, "accept": IMAGE_ACCEPT}
    return render(request, "people/avatar.html", context, status=status)


@require_safe
def user_card(request, username: str):
    """The small card shown on hovering or focusing a member's name (people/user-card.js):
    an HTML fragment, 2 queries. The same for every reader, so browsers may keep it a while."""
    card = queries.user_card(username=username)
    response = render(request, "people/_user_card.html", {"card": card})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def member_lookup(request):
    """The composer's @mention autocomplete: active members whose username or display name
    starts with `q`. 1 query; limited like searches (per client network, per minute)."""
    try:
        limits.check_searches(ip_address=client_address.of_request(request))
    except LimitExceeded as error:
        response = JsonResponse({"error": error.message, "members": []}, status=429)
        if error.retry_after:
            response["Retry-After"] = str(error.retry_after)
        return response
    members = queries.members_starting_with(request.GET.get("q", ""))
    return JsonResponse(
        {
            "members": [
                {
                    "username": member.username,
                    "name": member.display_name,
                    "avatar": member.avatar.url if member.avatar else None,
                    "initial": member.initial,
                    "colour": member.avatar_class,
                }
                for member in members
            ]
        }
    )


@login_required
@require_POST
def ignore(request, username: str):
    """ "Ignore" / "Stop ignoring" on a member's profile."""
    other = get_object_or_404(User, username=username, is_active=True)
    try:
        if request.POST.get("action") == "stop":
            services.stop_ignoring(member=request.user, other=other)
            messages.success(
                request, _("You see %(name)s’s posts again.") % {"name": other.display_name}
            )
        else:
            services.ignore(member=request.user, other=other)
            messages.success(
                request, _("You are ignoring %(name)s.") % {"name": other.display_name}
            )
    except Refusal as refusal:
        return HttpResponse(refusal.message, status=refusal.status)
    return redirect("profile", username=other.username)


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    """Display name, signature, time zone, theme and language; links to the picture and the
    email preferences."""
    member = request.user
    values = {
        "display_name": member.chosen_name,
        "signature": member.signature,
        "time_zone": member.time_zone,
        "theme": member.theme,
        "language": member.language,
    }
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in values}
        try:
            services.update_settings(member=member, **values)
        except ValidationError as error:
            errors, status = error.message_dict, 400
        else:
            messages.success(request, _("Your settings are saved."))
            return redirect("account_settings")
    context = {
        "values": values,
        "errors": errors,
        "time_zones": TIME_ZONES,
        "themes": THEME_LABELS,
        # Each language in its own name: a reader finds theirs whatever the page's language.
        "languages": settings.LANGUAGES,
        "signature_max": SIGNATURE_MAX,
    }
    return render(request, "people/settings.html", context, status=status)


@login_required
@require_POST
def theme(request):
    """The header's light/dark toggle for a signed-in member (theme.js): kept on the account,
    so every device they sign in on opens in it."""
    try:
        services.set_theme(member=request.user, theme=request.POST.get("theme", ""))
    except Refusal as refusal:
        return JsonResponse({"error": refusal.message}, status=refusal.status)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"theme": request.user.theme})
    return redirect("account_settings")
