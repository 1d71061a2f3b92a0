from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import MemberFactory


@pytest.fixture
def reader(db):
    """A member who joined before everything the tests write."""
    return MemberFactory(date_joined=timezone.now() - timedelta(days=1))


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client
