"""The backend that reads a signed-in member's session: Django's ModelBackend, with its
get_user() compiled once (folkmoot.compiled_queries) instead of on every request.

It signs no one in: ModelBackend and allauth's backend check passwords, as before, and a
member they sign in is read on later requests through this backend (`use_member_backend`, on
user_logged_in: their get_user() is ModelBackend's, so this reads the same member). Sessions
from before name the backend that signed them in, which stays listed and still reads them.
"""

from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model, load_backend
from django.contrib.auth.backends import ModelBackend

from folkmoot.compiled_queries import CompiledQuery

MEMBER_BACKEND = "folkmoot.accounts.backends.MemberBackend"

# As QuerySet.get(pk=...) asks: no ordering, at most MAX_GET_RESULTS (21) rows.
_member = CompiledQuery(
    lambda user_id: get_user_model()._default_manager.filter(pk=user_id).order_by()[:21]
)


class MemberBackend(ModelBackend):
    def authenticate(self, request, **credentials):
        return None  # passwords are the other backends' (checked once, as before)

    def get_user(self, user_id):
        found = _member(user_id=user_id)  # an id that is not a small int: Django's path
        if len(found) != 1:
            return super().get_user(user_id) if found else None  # as get() fails, if ever
        user = found[0]
        return user if self.user_can_authenticate(user) else None


def _reads_members_alike(path: str) -> bool:
    try:
        backend = load_backend(path)
    except ImportError:
        return False
    return type(backend).get_user is ModelBackend.get_user


def use_member_backend(sender, request, user, **kwargs) -> None:
    """user_logged_in: the session names MemberBackend when the backend that signed the member
    in reads them as ModelBackend does (ModelBackend, allauth's)."""
    if request is None or not hasattr(request, "session"):
        return
    path = request.session.get(BACKEND_SESSION_KEY)
    if path and path != MEMBER_BACKEND and _reads_members_alike(path):
        request.session[BACKEND_SESSION_KEY] = MEMBER_BACKEND
