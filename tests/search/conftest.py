import pytest

from tests.search.helpers import Forum


@pytest.fixture
def forum(db, django_capture_on_commit_callbacks):
    """Writes through the services, their after-commit callbacks (the indexing) run at once."""
    return Forum(lambda: django_capture_on_commit_callbacks(execute=True))
