"""The anti-bot check for guests: an ALTCHA proof of work plus a honeypot field.

The server makes a signed challenge (no third-party service); the browser finds the number
whose hash matches (static/folkmoot/guest-pow.js) and sends it back in the `altcha` field. A
challenge expires, and once solved it is recorded as spent (a SpentProof row, unique, in the
database every app process shares) until then, so it is accepted once only.

The payload comes from the client: anything that is not the base64 of a JSON object with the
expected fields and types gets the same refusal as a wrong answer, never an error page.
"""

import base64
import binascii
import hashlib
import json
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from folkmoot.refusal import Refusal

from .models import SpentProof

HONEYPOT_FIELD = "website"

# altcha (with argon2 and cffi, ~1.5 MiB) is imported by the functions that use it: only a
# guest about to post needs it, not every web process from its start.


def _key() -> str:
    return f"{settings.SECRET_KEY}:folkmoot.altcha"


def make_challenge() -> dict:
    import altcha

    challenge = altcha.create_challenge_v1(
        hmac_key=_key(),
        max_number=settings.FOLKMOOT["ALTCHA_MAX_NUMBER"],
        expires=timezone.now() + timedelta(seconds=settings.FOLKMOOT["ALTCHA_EXPIRES_SECONDS"]),
    )
    return challenge.to_dict()


FAILED = gettext_noop("The anti-bot check did not pass. Please submit again.")
# A real payload is about 300 characters; anything much longer is not one.
PAYLOAD_MAX_LENGTH = 2000
_TEXT_FIELDS = ("algorithm", "challenge", "salt", "signature")


def _decode(payload: str) -> dict:
    """The solution the browser sent, or a Refusal if it is not shaped like one."""
    failed = Refusal(_(FAILED), code="antibot_failed")
    if len(payload) > PAYLOAD_MAX_LENGTH:
        raise failed
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
    except (binascii.Error, ValueError):  # bad base64, bad UTF-8, bad JSON
        raise failed from None
    if not isinstance(data, dict):
        raise failed
    if not all(isinstance(data.get(field), str) for field in _TEXT_FIELDS):
        raise failed
    number = data.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        raise failed
    return data


def _expires_at(data: dict) -> datetime:
    """When the challenge stops being accepted (its signed salt says; ours always do)."""
    import altcha

    try:
        expires = int(altcha.extract_params_v1(data)["expires"][0])
        return datetime.fromtimestamp(expires, tz=UTC)
    except (KeyError, IndexError, ValueError, OverflowError, OSError):
        raise Refusal(_(FAILED), code="antibot_failed") from None


def verify_solution(payload: str) -> None:
    """Accept a solved challenge once; raise a Refusal for anything else.

    Call inside the transaction that saves the post: the proof is spent with it, so a post
    refused later (a limit, a ban) leaves the proof unspent, and two requests carrying one
    proof cannot both commit."""
    if not payload:
        raise Refusal(
            _(
                "The anti-bot check did not run. It needs JavaScript; please enable it and "
                "submit again."
            ),
            code="antibot_missing",
        )
    import altcha

    data = _decode(payload)
    ok, error = altcha.verify_solution_v1(data, _key(), check_expires=True)
    if not ok:
        if error and "expired" in error:
            raise Refusal(
                _("The anti-bot check expired. Please submit again."), code="antibot_expired"
            )
        raise Refusal(_(FAILED), code="antibot_failed")
    digest = hashlib.sha256(data["signature"].encode()).hexdigest()
    try:
        with transaction.atomic():
            # A minute past expiry, so a clock a little behind elsewhere can't replay it.
            SpentProof.objects.create(
                digest=digest, expires_at=_expires_at(data) + timedelta(minutes=1)
            )
    except IntegrityError:
        raise Refusal(
            _("This anti-bot check was already used. Please submit again."),
            code="antibot_replayed",
        ) from None


def check_honeypot(value: str) -> None:
    if value:
        raise Refusal(
            _(
                "Your reply looks automated, so it was not accepted. Leave the field labelled "
                "'Leave this empty' empty and submit again."
            ),
            code="honeypot",
        )
