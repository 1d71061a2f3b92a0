"""Two moderators merging, moving or splitting the same topics at once, each in a thread with
its own database connection and transaction as a request would be: one wins where they
conflict, and the counters and numbers come out exact (on SQLite and PostgreSQL alike)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from folkmoot.discussions import services
from folkmoot.discussions.models import Topic
from folkmoot.refusal import Refusal
from tests.factories import CategoryFactory, MemberFactory, make_topic
from tests.moderation.test_merge_split_move import consistent

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*actions) -> list[str]:
    """Run the actions at once, one thread each; each answers what it returned or the
    refusal's code."""
    barrier = threading.Barrier(len(actions))

    def attempt(action) -> str:
        try:
            barrier.wait()
            return repr(action())
        except Refusal as refusal:
            return refusal.code
        finally:
            connection.close()

    with ThreadPoolExecutor(len(actions)) as pool:
        return list(pool.map(attempt, actions))


@pytest.fixture
def moderators():
    return MemberFactory(username="mod1", is_staff=True), MemberFactory(
        username="mod2", is_staff=True
    )


def fresh(topic: Topic) -> Topic:
    return Topic.objects.select_related("category").get(pk=topic.pk)


def test_two_moderators_merging_two_topics_into_each_other_merge_once(moderators):
    category = CategoryFactory()
    a = make_topic(category=category, title="First of two", replies=3)
    b = make_topic(category=category, title="Second of two", replies=2)
    one, two = moderators
    answers = _race(
        lambda: services.merge_topics(source=fresh(a), into=fresh(b), actor=one),
        lambda: services.merge_topics(source=fresh(b), into=fresh(a), actor=two),
    )
    assert sorted(answers) in (["False", "True"], ["True", "not_visible"]), answers
    merged = Topic.objects.filter(merged_into__isnull=False)
    assert merged.count() == 1
    kept = Topic.objects.get(merged_into__isnull=True)
    assert kept.post_count == 7
    consistent(category)


def test_a_merge_and_a_move_of_the_same_topic_at_once_leave_exact_counters(moderators):
    origin, elsewhere = CategoryFactory(name="Origin"), CategoryFactory(name="Elsewhere")
    a = make_topic(category=origin, title="Moved or merged", replies=4)
    b = make_topic(category=origin, title="Merge target", replies=1)
    c = make_topic(category=elsewhere, title="Bystander", replies=1)
    one, two = moderators
    answers = _race(
        lambda: services.merge_topics(source=fresh(a), into=fresh(b), actor=one),
        lambda: services.move_topic(topic=fresh(a), actor=two, to=elsewhere),
    )
    assert "True" in answers, answers
    consistent(origin, elsewhere)
    assert fresh(c).post_count == 2


def test_two_moderators_moving_the_same_posts_to_two_topics_move_them_once(moderators):
    category = CategoryFactory()
    source = make_topic(category=category, title="Source topic", replies=6)
    left = make_topic(category=category, title="Left target", replies=1)
    right = make_topic(category=category, title="Right target", replies=1)
    chosen = list(source.posts.filter(number__in=[2, 3, 4]).values_list("pk", flat=True))
    one, two = moderators
    answers = _race(
        lambda: services.move_posts(
            topic=fresh(source), post_ids=chosen, to=fresh(left), actor=one
        ),
        lambda: services.move_posts(
            topic=fresh(source), post_ids=chosen, to=fresh(right), actor=two
        ),
    )
    # The second finds them gone: under the lock (0 moved), or before it (nothing to choose).
    assert sorted(answers) in (["0", "3"], ["3", "no_posts"]), answers
    assert fresh(source).post_count == 4
    assert fresh(left).post_count + fresh(right).post_count == 7
    consistent(category)


def test_replies_during_a_merge_land_in_the_merged_topic_or_are_refused(moderators):
    category = CategoryFactory()
    a = make_topic(category=category, title="Busy source", replies=2)
    b = make_topic(category=category, title="Busy target", replies=2)
    writers = [MemberFactory() for _ in range(4)]
    answers = _race(
        lambda: services.merge_topics(source=fresh(a), into=fresh(b), actor=moderators[0]),
        *[
            lambda writer=writer: (
                services.reply(
                    topic=fresh(a), author=writer, body=f"Racing reply by {writer.username}"
                ).number
            )
            for writer in writers
        ],
    )
    assert answers[0] == "True", answers
    # Each reply landed before the merge (and moved with it) or was refused, its text kept.
    landed = sum(answer.isdigit() for answer in answers[1:])
    assert landed + answers.count("merged") == 4, answers
    assert fresh(b).post_count == 6 + landed
    consistent(category)
