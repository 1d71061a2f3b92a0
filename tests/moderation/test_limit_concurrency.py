"""Counters under concurrent requests: threads with their own database connections, each in
its own transaction as a request would be, started together. Exactly the allowed number get
through, on SQLite and PostgreSQL alike."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from folkmoot.composer.tasks import composer_housekeeping
from folkmoot.moderation import antibot, limits
from folkmoot.moderation.models import RateLimit, SpentProof
from folkmoot.refusal import Refusal
from tests.antibot_solver import solve_for_tests
from tests.conftest import set_limits

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 12


def _race(action) -> list[str]:
    """Run `action` in THREADS threads at once; each answers "ok" or the refusal's name."""
    barrier = threading.Barrier(THREADS)

    def attempt(n: int) -> str:
        try:
            barrier.wait()
            with transaction.atomic():
                action(n)
                time.sleep(0.02)  # the rest of the request's transaction
            return "ok"
        except limits.LimitExceeded:
            return "limited"
        except Refusal as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(attempt, range(THREADS)))


def test_a_daily_cap_per_address_lets_exactly_the_cap_through(settings):
    set_limits(settings, GUEST_POSTS_PER_IP_PER_DAY=5, GUEST_POSTS_PER_EMAIL_PER_DAY=100)
    answers = _race(
        lambda n: limits.check_guest_daily_caps(
            email=f"racer{n}@example.net", ip_address=f"2001:db8:7:7::{n + 1:x}"
        )
    )
    assert answers.count("ok") == 5
    assert answers.count("limited") == THREADS - 5
    assert RateLimit.objects.get(key="guest-day:ip:2001:db8:7:7::/64").count == 5


def test_a_daily_cap_per_email_lets_exactly_the_cap_through_and_takes_back_the_rest(settings):
    set_limits(settings, GUEST_POSTS_PER_IP_PER_DAY=100, GUEST_POSTS_PER_EMAIL_PER_DAY=3)
    answers = _race(
        lambda n: limits.check_guest_daily_caps(
            email=f"Same.Person+{n}@example.net", ip_address=f"198.51.100.{n + 1}"
        )
    )
    assert answers.count("ok") == 3
    assert RateLimit.objects.get(key="guest-day:email:sameperson@example.net").count == 3
    # The refused ones took back their count on their address.
    counted = RateLimit.objects.filter(key__startswith="guest-day:ip:", count=1).count()
    assert counted == 3


def test_flood_control_lets_one_post_through_in_its_window(settings, member):
    set_limits(settings, FLOOD_SECONDS=60)
    answers = _race(lambda n: limits.check_flood(member=member))
    assert answers.count("ok") == 1
    assert answers.count("limited") == THREADS - 1


def test_one_proof_of_work_solution_is_accepted_once(client):
    solved = solve_for_tests(client.get("/guests/challenge/").json())
    answers = _race(lambda n: antibot.verify_solution(solved))
    assert answers.count("ok") == 1
    assert answers.count("antibot_replayed") == THREADS - 1
    assert SpentProof.objects.count() == 1


def test_a_window_that_has_ended_opens_again_for_one_racer(settings, member):
    """Two requests finding the same expired window must not both start the next one."""
    set_limits(settings, FLOOD_SECONDS=60)
    RateLimit.objects.create(
        key=f"flood:member:{member.pk}", count=1, expires_at="2000-01-01T00:00:00Z"
    )
    answers = _race(lambda n: limits.check_flood(member=member))
    assert answers.count("ok") == 1


def test_housekeeping_deletes_only_what_has_expired(settings, member):
    set_limits(settings, FLOOD_SECONDS=60)
    RateLimit.objects.create(key="old", count=3, expires_at="2000-01-01T00:00:00Z")
    SpentProof.objects.create(digest="0" * 64, expires_at="2000-01-01T00:00:00Z")
    limits.check_flood(member=member)
    assert composer_housekeeping.call()["expired_limits"] == 2
    assert not SpentProof.objects.exists()
    assert list(RateLimit.objects.values_list("key", flat=True)) == [f"flood:member:{member.pk}"]
