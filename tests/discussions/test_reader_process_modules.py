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


WRITING_SERVICES = [
    "folkmoot.discussions.services",
    "folkmoot.discussions.lifecycle",
    "folkmoot.moderation.services",
    "folkmoot.guests.services",
    "folkmoot.composer.services",
    "folkmoot.notifications.services",
]

READ_THEN_REPLY = """
import json, sys
from django.test import Client
from folkmoot.accounts.models import User

reader = Client(HTTP_HOST="localhost")
statuses = [reader.get(page).status_code for page in ("/", URL)]
loaded_on_reading = [name for name in WRITING if name in sys.modules]
member = Client(HTTP_HOST="localhost")
member.force_login(User.objects.create_user("replier", "replier@example.org"))
reply = member.post(URL + "reply/", {"body": "A reply, written after reading."})
page = reader.get(URL).content.decode()
print("RESULT " + json.dumps({
    "statuses": statuses, "reply": reply.status_code, "page": page,
    "loaded_on_reading": loaded_on_reading,
    "loaded_on_writing": [name for name in WRITING if name in sys.modules],
}))
"""


def test_reading_pages_leaves_writing_services_to_the_first_write(folkmoot_env):  # noqa: F811
    # ~1 MiB a web worker (BENCHMARKS.md "Memory", fifth pass): the views hold them by name.
    folkmoot(folkmoot_env, "migrate")
    url = folkmoot(folkmoot_env, "manage", "shell", "-c", WRITE).split("RESULT ", 1)[1].strip()
    script = f"URL = {url!r}\nWRITING = {WRITING_SERVICES!r}\n" + READ_THEN_REPLY
    facts = json.loads(
        folkmoot(folkmoot_env, "manage", "shell", "-c", script).split("RESULT ", 1)[1]
    )
    assert facts["statuses"] == [200, 200]
    assert facts["loaded_on_reading"] == []
    assert facts["reply"] == 302
    assert "A reply, written after reading." in facts["page"]
    assert "folkmoot.discussions.lifecycle" in facts["loaded_on_writing"]
