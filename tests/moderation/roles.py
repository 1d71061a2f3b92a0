"""Who may use the moderators' tools on `category` (the `people` fixture in conftest.py)."""

ALLOWED = {"member": False, "other_moderator": False, "category_moderator": True, "staff": True}
