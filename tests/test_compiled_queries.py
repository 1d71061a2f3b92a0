"""Compiled queries (folkmoot.compiled_queries) return what Django's own evaluation of the same
queryset returns, run on the calling thread's connection where the router says, are counted
like any query, and refuse querysets they cannot run alike."""

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.db.models.signals import post_init
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from folkmoot.compiled_queries import MAX_VALUE, CompiledQuery, NotCompilable
from folkmoot.discussions import queries, services
from folkmoot.discussions.models import Post, Topic
from folkmoot.discussions.queries import AFTER, BEFORE, FROM, SKIP
from tests.factories import MemberFactory, make_topic


def snapshot(instance, seen=None):
    """Everything an instance holds: its class, its state, its values, and the related
    instances cached on it (select_related), recursively."""
    if instance is None:
        return None
    seen = seen if seen is not None else set()
    if id(instance) in seen:
        return ("seen", type(instance), instance.pk)
    seen.add(id(instance))
    values = {name: value for name, value in instance.__dict__.items() if name != "_state"}
    related = {name: snapshot(other, seen) for name, other in instance._state.fields_cache.items()}
    state = (instance._state.db, instance._state.adding)
    return (type(instance), state, values, related)


def assert_same_as_django(compiled: CompiledQuery, build, **values):
    with CaptureQueriesContext(connection) as captured:
        ours = compiled(**values)
    assert len(captured) == 1  # counted and captured as any query
    theirs = list(build(**values))
    assert [snapshot(instance) for instance in ours] == [snapshot(instance) for instance in theirs]
    return ours


@pytest.fixture
def long_topic(db, moderator):
    """30 posts: a page and a bit; one by a member since deleted (no author), one deleted."""
    topic = make_topic(replies=29)
    posts = list(topic.posts.order_by("number"))
    posts[4].author.delete()
    services.delete_post(post=posts[7], actor=moderator)
    topic.refresh_from_db()
    return topic


def test_the_topic_with_its_category_and_author_is_read_as_django_reads_it(long_topic):
    def build(topic_id):
        return (
            Topic.objects.select_related("category", "author")
            .defer("author__password")
            .filter(pk=topic_id)
        )

    (topic,) = assert_same_as_django(CompiledQuery(build), build, topic_id=long_topic.pk)
    assert topic.title == long_topic.title
    # The related instances are cached: reading them costs no query.
    with CaptureQueriesContext(connection) as captured:
        assert topic.category.name and topic.author.username
    assert len(captured) == 0
    assert "password" not in topic.author.__dict__  # deferred, as asked
    assert assert_same_as_django(CompiledQuery(build), build, topic_id=long_topic.pk + 999) == []


def test_a_model_with_init_receivers_is_built_through_from_db(long_topic):
    """Filled in directly only where Model.__init__ would do nothing more: with a post_init
    receiver, instances are made by Model.from_db, and the receiver sees each."""
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Topic)
    try:

        def build(topic_id):
            return Topic.objects.select_related("category").filter(pk=topic_id)

        (topic,) = CompiledQuery(build)(topic_id=long_topic.pk)
        assert topic in seen
        assert snapshot(topic) == snapshot(list(build(long_topic.pk))[0])
    finally:
        post_init.disconnect(receiver, sender=Topic)


@pytest.mark.parametrize("include_hidden", [False, True])
@pytest.mark.parametrize(
    "seek, skip, number",
    [(SKIP, 0, None), (SKIP, 25, None), (FROM, 0, 3), (AFTER, 0, 26), (BEFORE, 0, 27)],
)
def test_a_page_of_posts_is_read_as_django_reads_it(long_topic, include_hidden, seek, skip, number):
    shape = dict(seek=seek, skip=skip, upto=25, include_hidden=include_hidden)
    at = {} if number is None else {"number": number}

    def build(topic_id, **at):
        return queries._page_posts(topic_id, at.get("number"), **shape)

    compiled = queries._page_posts_query(**shape)
    posts = assert_same_as_django(compiled, build, topic_id=long_topic.pk, **at)
    assert posts
    assert any(post.author is None for post in posts) == (posts[0].number <= 5 <= posts[-1].number)
    listed_deleted = any(post.status == Post.Status.DELETED for post in posts)
    assert listed_deleted == (include_hidden and posts[0].number <= 8 <= posts[-1].number)


def test_the_opening_post_is_read_as_django_reads_it(long_topic):
    def build(topic_id):
        return queries.reading_posts(
            Post.objects.filter(topic_id=topic_id, number=1, status=Post.Status.PUBLISHED)
        )[:1]

    (post,) = assert_same_as_django(queries._opening_post, build, topic_id=long_topic.pk)
    assert post.number == 1 and post.author.username
    assert "body" not in post.__dict__  # deferred: readers see the HTML


def test_a_topics_recommendations_are_read_as_django_reads_them(long_topic, moderator):
    for number in (2, 9, 12):
        services.recommend_post(post=long_topic.posts.get(number=number), moderator=moderator)
    recommended = assert_same_as_django(
        queries._recommendations, queries._recommendations_of, topic_id=long_topic.pk
    )
    assert [r.post.number for r in recommended] == [12, 9, 2]
    with CaptureQueriesContext(connection) as captured:
        assert recommended[0].post.recommendation is recommended[0]  # both sides, as Django
        assert recommended[0].moderator.username and recommended[0].post.author.username
    assert len(captured) == 0


@pytest.mark.parametrize("topic_id", [MAX_VALUE + 1, 2**63, -1])
def test_values_outside_an_integer_columns_range_take_djangos_path(db, client, topic_id):
    with pytest.raises(Http404):
        queries.get_topic(topic_id=topic_id, viewer=AnonymousUser())
    if topic_id > 0:
        assert client.get(f"/t/{topic_id}-nothing/").status_code == 404


def test_querysets_it_cannot_run_alike_are_refused(db):
    with pytest.raises(NotCompilable):  # LIMIT is part of the SQL, not a parameter
        CompiledQuery(lambda count: Topic.objects.all()[:count])(count=3)
    with pytest.raises(NotCompilable):  # pinned to an alias: the router is not asked
        CompiledQuery(lambda topic_id: Topic.objects.using("default").filter(pk=topic_id))(
            topic_id=1
        )
    with pytest.raises(NotCompilable):  # not instances
        CompiledQuery(lambda topic_id: Topic.objects.filter(pk=topic_id).values("title"))(
            topic_id=1
        )
    with pytest.raises(NotCompilable):  # a value the SQL does not hold
        CompiledQuery(lambda topic_id: Topic.objects.all())(topic_id=1)


class RecordingRouter:
    def __init__(self):
        self.asked = []

    def db_for_read(self, model, **hints):
        self.asked.append(model)
        return "default"


def test_the_router_is_asked_on_every_call(topic):
    recording = RecordingRouter()
    with override_settings(DATABASE_ROUTERS=[recording]):
        for _ in range(2):
            queries.get_topic(topic_id=topic.pk, viewer=AnonymousUser())
    assert recording.asked.count(Topic) == 2


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_the_compiled_sql_on_its_own_connection():
    topic = make_topic(replies=3)
    MemberFactory()  # a second member: authors differ from the ids they had
    seen = {}
    failures = []
    start = threading.Barrier(3)

    def read(name: str) -> None:
        own = connections["default"]
        try:
            start.wait()
            with CaptureQueriesContext(own) as captured:
                for _ in range(5):
                    found = queries.get_topic(topic_id=topic.pk, viewer=AnonymousUser())
                    page = queries.topic_page(topic=found, page=None)
            seen[name] = (own, found.title, [post.number for post in page.posts], len(captured))
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            own.close()

    threads = [threading.Thread(target=read, args=(name,)) for name in ("one", "two")]
    with CaptureQueriesContext(connection) as in_this_thread:
        for thread in threads:
            thread.start()
        start.wait()
        for thread in threads:
            thread.join()
    assert not failures
    (one, *rest_one), (two, *rest_two) = seen["one"], seen["two"]
    assert one is not two and connection not in (one, two)
    assert rest_one == rest_two == [topic.title, [1, 2, 3, 4], 10]
    assert len(in_this_thread) == 0  # each thread's queries went to its own connection


def test_an_id_from_a_url_pattern_is_taken_as_its_number(topic):
    """re_path hands views strings: "12" is topic 12 on the compiled path; other digits
    (which int() reads too, as Django's lookup would) take Django's path to the same topic."""
    with CaptureQueriesContext(connection) as captured:
        found = queries.get_topic(topic_id=str(topic.pk), viewer=AnonymousUser())
    assert found.pk == topic.pk and len(captured) == 1
    arabic_indic = str(topic.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert queries.get_topic(topic_id=arabic_indic, viewer=AnonymousUser()).pk == topic.pk


@pytest.mark.parametrize("page_query", ["", "?page=2"])
def test_a_warm_anonymous_topic_page_compiles_no_sql(client, db, monkeypatch, page_query):
    topic = make_topic(replies=30)
    url = f"/t/{topic.pk}-{topic.slug}/{page_query}"
    assert client.get(url).status_code == 200  # compiles, once per shape and connection
    compiled = []
    as_sql = SQLCompiler.as_sql

    def counting_as_sql(compiler, *args, **kwargs):
        compiled.append(compiler.query.model)
        return as_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting_as_sql)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert compiled == [] and len(captured) == (2 if not page_query else 3)
