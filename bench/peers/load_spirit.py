"""Load Folkmoot's seed topic into the django-spirit peer, through Spirit's own forms.

Run by spirit.sh inside Spirit's venv and project: `python load_spirit.py seed.json`, with
DJANGO_SETTINGS_MODULE set. Members, one category, the topic and its replies are created the
way Spirit's publish views do (form.save() then comment_posted(), which counts the comment,
marks unread and updates the search index), minus the HTTP round trip and the rate limit.
Also sets 25 comments a page (Folkmoot's page size) and gives one member a password for the
signed-in reader. Idempotent: a second run finds the category and does nothing.
"""

import json
import sys
from itertools import cycle
from pathlib import Path

import django

READER_PASSWORD = "bench-reader-password"  # noqa: S105 (a throwaway local bench forum)
CATEGORY = "World News"


def main() -> None:
    django.setup()
    from django.contrib.auth import get_user_model
    from djconfig import config
    from spirit.admin.forms import BasicConfigForm
    from spirit.category.models import Category
    from spirit.comment.forms import CommentForm
    from spirit.comment.utils import comment_posted
    from spirit.topic.forms import TopicForm

    seed = json.loads(Path(sys.argv[1]).read_text())
    if Category.objects.filter(title=CATEGORY).exists():
        print("already loaded")
        return

    site = BasicConfigForm(data={"site_name": "Spirit", "comments_per_page": 25,
                                 "topics_per_page": 20})  # fmt: skip
    assert site.is_valid(), site.errors
    site.save()  # and reloads the config
    assert config.comments_per_page == 25

    User = get_user_model()
    members = []
    for name in seed["members"]:
        member = User.objects.create_user(
            username=name, email=f"{name.lower()}@example.org", password=READER_PASSWORD
        )
        member.st.is_verified = True
        member.st.save()
        members.append(member)
    category = Category.objects.create(title=CATEGORY, description="Events and reporting.")

    def post(author, body, topic):
        form = CommentForm(user=author, topic=topic, data={"comment": body})
        assert form.is_valid(), form.errors
        comment_posted(comment=form.save(), mentions=form.mentions)

    topic_form = TopicForm(user=members[0], data={"title": seed["title"], "category": category.pk})
    assert topic_form.is_valid(), topic_form.errors
    topic = topic_form.save()
    post(members[0], seed["article"], topic)
    repliers, texts = cycle(members[1:]), cycle(seed["reply_texts"])
    for _ in range(seed["replies"]):
        post(next(repliers), next(texts), topic)
    topic.refresh_from_db()
    print(f"loaded {topic.get_absolute_url()} with {topic.comment_count} comments")


if __name__ == "__main__":
    main()
