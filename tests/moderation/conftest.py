import pytest

from tests.factories import CategoryFactory, MemberFactory


@pytest.fixture
def people(db, category):
    """Who may and may not moderate `category`, by the names in roles.ALLOWED."""
    category_moderator = MemberFactory(username="catmod")
    category.moderators.add(category_moderator)
    elsewhere = MemberFactory(username="elsewhere")
    CategoryFactory(name="Elsewhere").moderators.add(elsewhere)
    return {
        "member": MemberFactory(),
        "other_moderator": elsewhere,
        "category_moderator": category_moderator,
        "staff": MemberFactory(is_staff=True),
    }
