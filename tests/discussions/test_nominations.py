"""Members nominate a post for recommendation, with an optional note; nominations wait in the
moderation queue, where moderators of the category recommend the post or dismiss them; the
nominators are told which.

Who may nominate (discussions.policy.can_nominate): signed-in, active members, a published
post they may read, not their own, and not in a category they moderate (they recommend it
themselves). Guests may not."""

import pytest
from django.contrib.auth.models import AnonymousUser

from folkmoot.discussions import policy, services
from folkmoot.discussions.models import Nomination, Recommendation
from folkmoot.notifications import kinds
from folkmoot.notifications.models import Notification
from folkmoot.refusal import NotFound, Refusal, TooMany
from tests.conftest import set_limits
from tests.factories import CategoryFactory, MemberFactory, make_topic


@pytest.fixture
def category(db):
    return CategoryFactory()


@pytest.fixture
def category_moderator(category):
    moderator = MemberFactory(username="catmod")
    category.moderators.add(moderator)
    return moderator


@pytest.fixture
def reply(category):
    topic = make_topic(category=category, replies=1)
    return topic.posts.get(number=2)


def nominate(post, member, note=""):
    return services.nominate_post(post=post, member=member, note=note)


# --- who may nominate -------------------------------------------------------------------------


def test_a_member_nominates_anothers_post_once(reply):
    member = MemberFactory()
    assert nominate(reply, member, note="  Clear   and kind ") is True
    assert nominate(reply, member, note="again") is False  # one per member and post
    nomination = Nomination.objects.get()
    assert (nomination.member, nomination.note, nomination.outcome) == (
        member,
        "Clear and kind",
        Nomination.Outcome.PENDING,
    )
    assert nominate(reply, MemberFactory()) is True  # others may too
    assert Nomination.objects.count() == 2


def test_guests_may_not_nominate(reply):
    assert not policy.can_nominate(AnonymousUser(), reply)
    with pytest.raises(Refusal) as refused:
        nominate(reply, AnonymousUser())
    assert refused.value.status == 403
    assert not Nomination.objects.exists()


def test_nobody_nominates_their_own_post(reply):
    with pytest.raises(Refusal, match="your own posts") as refused:
        nominate(reply, reply.author)
    assert refused.value.status == 403


def test_moderators_of_the_category_recommend_instead(reply, category_moderator):
    with pytest.raises(Refusal, match="recommend the post yourself"):
        nominate(reply, category_moderator)
    with pytest.raises(Refusal, match="recommend the post yourself"):
        nominate(reply, MemberFactory(is_staff=True))
    # A moderator of another category is a member here.
    elsewhere = MemberFactory()
    CategoryFactory().moderators.add(elsewhere)
    assert nominate(reply, elsewhere)


def test_a_deactivated_member_may_not_nominate(reply):
    with pytest.raises(Refusal):
        nominate(reply, MemberFactory(is_active=False))
    assert not Nomination.objects.exists()


def test_posts_the_member_may_not_see_are_not_found(reply, category_moderator):
    services.hide_post(post=reply, actor=category_moderator, reason="Off topic")
    reply.refresh_from_db()
    with pytest.raises(NotFound):
        nominate(reply, MemberFactory())


def test_a_recommended_post_is_not_nominated_again(reply, category_moderator):
    services.recommend_post(post=reply, moderator=category_moderator)
    with pytest.raises(Refusal, match="already recommended"):
        nominate(reply, MemberFactory())


def test_a_note_too_long_is_refused_and_nothing_is_kept(reply):
    with pytest.raises(Refusal, match="300 characters") as refused:
        nominate(reply, MemberFactory(), note="x" * 301)
    assert refused.value.field == "note"
    assert not Nomination.objects.exists()


def test_a_member_nominates_a_limited_number_of_posts_a_day(settings, category):
    set_limits(settings, NOMINATIONS_PER_DAY=2)
    topic = make_topic(category=category, replies=3)
    member = MemberFactory()
    first, second, third = (topic.posts.get(number=n) for n in (2, 3, 4))
    assert nominate(first, member) and nominate(second, member)
    assert nominate(first, member) is False  # the same one again is not one more
    with pytest.raises(TooMany, match="nominated 2 posts today") as refused:
        nominate(third, member)
    assert refused.value.retry_after > 0
    assert nominate(third, MemberFactory())  # others are counted apart
    assert Nomination.objects.filter(member=member).count() == 2


# --- the moderators' decisions ----------------------------------------------------------------


def test_recommending_settles_the_nominations_and_tells_the_nominators(
    reply, category_moderator, django_capture_on_commit_callbacks
):
    first, second = MemberFactory(), MemberFactory()
    nominate(reply, first, note="Best answer")
    nominate(reply, second)
    with django_capture_on_commit_callbacks(execute=True):
        services.recommend_post(post=reply, moderator=category_moderator, note="Best answer")
    assert Recommendation.objects.get().post == reply
    assert set(Nomination.objects.values_list("outcome", "decided_by")) == {
        (Nomination.Outcome.RECOMMENDED, category_moderator.pk)
    }
    told = Notification.objects.filter(kind=kinds.NOMINATION_OUTCOME)
    assert {n.recipient for n in told} == {first, second}
    assert all("recommended the post you nominated" in n.note for n in told)
    assert all(n.actor == category_moderator and n.post == reply for n in told)


def test_dismissing_tells_the_nominators_once(
    reply, category_moderator, django_capture_on_commit_callbacks
):
    nominator = MemberFactory()
    nominate(reply, nominator)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.dismiss_nominations(post=reply, moderator=category_moderator) == 1
        assert services.dismiss_nominations(post=reply, moderator=category_moderator) == 0
    assert Nomination.objects.get().outcome == Nomination.Outcome.DISMISSED
    assert not Recommendation.objects.exists()
    told = Notification.objects.get(kind=kinds.NOMINATION_OUTCOME)
    assert told.recipient == nominator and "did not recommend" in told.note


def test_only_moderators_of_the_category_decide(reply):
    nominate(reply, MemberFactory())
    elsewhere = MemberFactory()
    CategoryFactory().moderators.add(elsewhere)
    for person in (MemberFactory(), elsewhere, reply.author):
        with pytest.raises(NotFound):
            services.dismiss_nominations(post=reply, moderator=person)
        with pytest.raises(NotFound):
            services.recommend_post(post=reply, moderator=person)
    assert Nomination.objects.get().outcome == Nomination.Outcome.PENDING


# --- the pages ----------------------------------------------------------------------------------


def test_the_action_row_offers_nominate_to_members_only(client, reply, category_moderator):
    topic_url = reply.topic.get_absolute_url()
    form = f'action="/p/{reply.pk}/nominate/"'
    assert form not in client.get(topic_url).text  # anonymous
    client.force_login(MemberFactory())
    html = client.get(topic_url).text
    assert html.count(form) == 1  # on the reply, not on the first post (someone else's too)
    assert f'action="/p/{reply.topic.posts.get(number=1).pk}/nominate/"' in html
    client.force_login(reply.author)
    assert form not in client.get(topic_url).text
    client.force_login(category_moderator)
    assert form not in client.get(topic_url).text


def test_nominating_from_the_page_puts_the_post_in_the_queue(client, reply, category_moderator):
    client.force_login(MemberFactory(username="nina"))
    response = client.post(f"/p/{reply.pk}/nominate/", {"note": "<b>Worth</b> reading"})
    assert response.status_code == 302 and response.url == f"/p/{reply.pk}/"
    client.force_login(category_moderator)
    queue = client.get("/mod/queue/").text
    section = queue.split('id="nominated"')[1]
    assert f'id="nominated-{reply.pk}"' in section
    assert "nina" in section and "&lt;b&gt;Worth&lt;/b&gt; reading" in section
    assert 'value="&lt;b&gt;Worth&lt;/b&gt; reading"' in section  # the suggested note
    response = client.post(
        f"/mod/queue/{reply.pk}/nominations/recommend/", {"note": "Worth reading"}
    )
    assert response.status_code == 302
    assert Recommendation.objects.get(post=reply).note == "Worth reading"
    assert "No posts nominated." in client.get("/mod/queue/").text


def test_a_moderator_of_another_category_sees_no_nomination(client, reply):
    nominate(reply, MemberFactory())
    elsewhere = MemberFactory()
    CategoryFactory().moderators.add(elsewhere)
    client.force_login(elsewhere)
    assert f'id="nominated-{reply.pk}"' not in client.get("/mod/queue/").text
    assert client.post(f"/mod/queue/{reply.pk}/nominations/dismiss/").status_code == 404
    assert client.post(f"/mod/queue/{reply.pk}/nominations/recommend/").status_code == 404
    assert Nomination.objects.get().outcome == Nomination.Outcome.PENDING


def test_the_queue_costs_the_same_with_one_nomination_as_with_many(
    client, category, category_moderator, django_assert_max_num_queries
):
    topic = make_topic(category=category, replies=6)
    client.force_login(category_moderator)
    nominate(topic.posts.get(number=2), MemberFactory())
    with django_assert_max_num_queries(20) as one:
        client.get("/mod/queue/")
    for post in topic.posts.filter(number__gt=2):
        nominate(post, MemberFactory())
        nominate(post, MemberFactory())
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get("/mod/queue/").text
    assert html.count('class="nominated-post post"') == 6  # posts #2 to #7
