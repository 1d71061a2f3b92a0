import json
from pathlib import Path

import pytest

from folkmoot.composer.emoji import count_emoji

# The same cases are checked by the composer's JavaScript tests (frontend/).
CASES = json.loads((Path(__file__).parents[1] / "data" / "emoji_counts.json").read_text())


@pytest.mark.parametrize("case", CASES, ids=[case.get("why", case["text"]) for case in CASES])
def test_server_counts_emoji_like_the_editor(case):
    assert count_emoji(case["text"]) == case["count"]
