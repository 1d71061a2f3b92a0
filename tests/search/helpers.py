"""Writing posts the way the site does, with their after-commit consequences (indexing) run."""

from folkmoot.discussions import services
from tests.factories import CategoryFactory, MemberFactory


class Forum:
    def __init__(self, committed):
        self.committed = committed

    def topic(self, title, body="An opening post.", *, category=None, author=None):
        with self.committed():
            return services.start_topic(
                category=category or CategoryFactory(),
                author=author or MemberFactory(),
                title=title,
                body=body,
            )

    def reply(self, topic, body, *, author=None):
        with self.committed():
            return services.reply(topic=topic, author=author or MemberFactory(), body=body)


def found_ids(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200, response.content.decode()[:500]
    return [result.post.pk for result in response.context["results"].results]


def found_titles(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return [result.post.topic.title for result in response.context["results"].results]
