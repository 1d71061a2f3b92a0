"""What a reader may find. Today every category is open to every reader (forums has no
per-category read permission yet: "closed" means nothing more than a deleted or unpublished
topic), so this returns None, "no restriction"; when categories gain read permissions, this is
the one place that lists the readable ones, and every search query already filters on it."""


def readable_category_ids(user) -> list[int] | None:
    return None
