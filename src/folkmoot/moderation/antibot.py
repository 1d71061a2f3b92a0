"""The anti-bot check for guests: an ALTCHA proof of work plus a honeypot field.

The server makes a signed challenge (no third-party service); the browser finds the number
whose hash matches (static/folkmoot/guest-pow.js) and sends it back in the `altcha` field. A
challenge expires, and once solved it is remembered in the cache until then so it cannot be
replayed.
"""

import base64
import json
import time
from datetime import timedelta

import altcha
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

HONEYPOT_FIELD = "website"


def _key() -> str:
    return f"{settings.SECRET_KEY}:folkmoot.altcha"


def make_challenge() -> dict:
    challenge = altcha.create_challenge_v1(
        hmac_key=_key(),
        max_number=settings.FOLKMOOT["ALTCHA_MAX_NUMBER"],
        expires=timezone.now() + timedelta(seconds=settings.FOLKMOOT["ALTCHA_EXPIRES_SECONDS"]),
    )
    return challenge.to_dict()


FAILED = "The anti-bot check did not pass. Please submit again."


def verify_solution(payload: str) -> None:
    """Accept a solved challenge once; raise ValidationError for anything else."""
    if not payload:
        raise ValidationError(
            "The anti-bot check did not run. It needs JavaScript; please enable it and submit "
            "again.",
            code="antibot_missing",
        )
    ok, error = altcha.verify_solution_v1(payload, _key(), check_expires=True)
    if not ok:
        if error and "expired" in error:
            raise ValidationError(
                "The anti-bot check expired. Please submit again.", code="antibot_expired"
            )
        raise ValidationError(FAILED, code="antibot_failed")
    data = json.loads(base64.b64decode(payload))
    expires = altcha.extract_params_v1(data).get("expires", [None])[0]
    remaining = max(1, int(expires) - int(time.time())) if expires else 3600
    if not cache.add(f"antibot:used:{data['signature']}", 1, timeout=remaining + 5):
        raise ValidationError(
            "This anti-bot check was already used. Please submit again.", code="antibot_replayed"
        )


def check_honeypot(value: str) -> None:
    if value:
        raise ValidationError(
            "Your reply looks automated, so it was not accepted. Leave the field labelled "
            "'Leave this empty' empty and submit again.",
            code="honeypot",
        )


def solve_for_tests(challenge: dict) -> str:
    """What the browser's solver sends back; used by tests and the API's own clients."""
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxNumber"]
    )
    payload = {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solution.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()
