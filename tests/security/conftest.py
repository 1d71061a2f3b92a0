"""One world per test module: built once in a transaction rolled back after the module; each
test (each cell of a matrix) runs in a savepoint inside it, so nothing one cell does is seen
by the next."""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from tests.security.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media_root = str(tmp_path_factory.mktemp("media"))
    # As the suite's per-test fixtures set them (they run after a module's fixtures).
    limits = {**settings.FOLKMOOT, "FLOOD_SECONDS": 0, "ALTCHA_MAX_NUMBER": 2000}
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(FOLKMOOT=limits):
            made = build_world(media_root=media_root)
        yield made
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, request):
    """The world's upload stays where the world put it (replaces the suite's per-test
    folder)."""
    if "world" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("world").media_root
