"""Folkmoot's demo seed topic as JSON on stdout, for loading the same texts into a peer forum.

uv run python bench/peers/seed_texts.py > seed.json
"""

import json
import os
import tempfile
from importlib import resources

# The demo's seed topic: its opening post and 34 replies (folkmoot/demo.py), so both forums'
# first page holds the same 25 posts.
REPLIES = 34


def main() -> None:
    # folkmoot.demo imports models: Django set up, on a throwaway data dir it never writes to.
    os.environ.setdefault("FOLKMOOT_DATA_DIR", tempfile.mkdtemp(prefix="folkmoot-seed-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")
    import django

    django.setup()
    from folkmoot.demo import MEMBERS, SEED_REPLIES, SEED_TITLE

    article = resources.files("folkmoot").joinpath("demo_content/seed_article.md").read_text()
    print(
        json.dumps(
            {
                "title": SEED_TITLE,
                "article": article,
                "members": MEMBERS,
                "reply_texts": SEED_REPLIES,
                "replies": REPLIES,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
