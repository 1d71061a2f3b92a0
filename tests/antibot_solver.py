"""Solving the guest form's proof of work, as the browser's solver does: for tests only."""

import base64
import json

import altcha


def solve_for_tests(challenge: dict) -> str:
    """What the browser's solver sends back; the browser does this in JavaScript."""
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
