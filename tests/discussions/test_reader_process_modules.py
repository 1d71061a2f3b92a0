"""A process that only shows pages does not load what only writing needs: the sanitizer (nh3,
~1.9 MiB of Rust library in every web worker) is loaded by the first post written, not by a
reader's topic page, whose descriptions and JSON-LD take the posts' text without it."""

import json

import pytest

from tests.test_demo_e2e import demo_database_url, folkmoot, folkmoot_env  # noqa: F401

pytestmark = pytest.mark.e2e

WRITE = """
from folkmoot.accounts.models import User
from folkmoot.discussions import services
from folkmoot.forums.models import Category

author = User.objects.create_user("author", "author@example.org")
topic = services.start_topic(
    category=Category.objects.create(name="Reading"), author=author, title="Tags & text",
    body="A *first* paragraph with <angles> & ampersands.\\n\\nA [second](https://example.org).",
)
print("RESULT " + topic.get_absolute_url())
"""

READ = """
import json, sys
from django.test import Client

page = Client(HTTP_HOST="localhost").get(URL)
loaded_on_reading = "nh3" in sys.modules
from folkmoot.discussions.models import Post
from folkmoot.composer import rendering

rendering.render_markdown("written")
print("RESULT " + json.dumps({
    "status": page.status_code, "page": page.content.decode(),
    "loaded_on_reading": loaded_on_reading, "loaded_on_writing": "nh3" in sys.modules,
}))
"""


def test_a_topic_page_is_shown_without_loading_the_sanitizer(folkmoot_env):  # noqa: F811
    folkmoot(folkmoot_env, "migrate")
    url = folkmoot(folkmoot_env, "manage", "shell", "-c", WRITE).split("RESULT ", 1)[1].strip()
    output = folkmoot(folkmoot_env, "manage", "shell", "-c", f"URL = {url!r}\n" + READ)
    facts = json.loads(output.split("RESULT ", 1)[1])
    assert facts["status"] == 200
    assert not facts["loaded_on_reading"] and facts["loaded_on_writing"]
    # The description is the first post's text, tags gone and its characters escaped once.
    description = "A first paragraph with &lt;angles&gt; &amp; ampersands. A second."
    assert f'<meta name="description" content="{description}">' in facts["page"]
