"""The results page: what it shows, its filters, what it costs, and what hostile input does."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from folkmoot.composer.models import Attachment
from folkmoot.discussions.models import Post
from folkmoot.search import indexing
from tests.factories import CategoryFactory, MemberFactory
from tests.search.helpers import found_ids, found_titles


def test_a_result_shows_title_highlighted_passage_author_date_and_category(client, forum):
    author = MemberFactory(username="marguerite")
    category = CategoryFactory(name="Gardening")
    forum.topic(
        "Roses", "Prune the climbing roses in late winter.", category=category, author=author
    )
    page = client.get("/search/", {"q": "climbing"}).content.decode()
    assert "Roses" in page and "Gardening" in page and author.display_name in page
    assert "<mark>climbing</mark>" in page
    assert "<time datetime=" in page


def test_a_passage_cannot_inject_html(client, forum):
    # The body is shown as text in a code span; its words still match.
    forum.topic(
        "Scripts", 'Look: `<script>alert("pwned")</script>` and <img src=x onerror=alert(1)>'
    )
    forum.topic("<b>Bold</b> title", "script kiddies")
    page = client.get("/search/", {"q": "script alert"}).content.decode()
    results = page[page.index('class="search-results"') :]
    assert "<script>" not in results and "<img" not in results and "<b>Bold" not in results
    assert "<mark>alert</mark>" in results  # shown as text, words marked
    page = client.get("/search/", {"q": "script"}).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in page


def test_our_highlight_marks_typed_into_a_post_do_not_become_tags(client, forum):
    forum.topic("Marks", "private use \ue000marked\ue001 text here")
    page = client.get("/search/", {"q": "private"}).content.decode()
    assert page.count("<mark>") == 1  # only the match, not the smuggled marks


def test_filters_by_category_author_dates_and_attachments(client, forum):
    garden, kitchen = CategoryFactory(name="Garden"), CategoryFactory(name="Kitchen")
    alice = MemberFactory(username="alice")
    in_garden = forum.topic("Herbs outside", "Basil grows well.", category=garden, author=alice)
    in_kitchen = forum.topic("Herbs inside", "Basil pesto recipe.", category=kitchen)
    old = in_kitchen.posts.get()
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    indexing.post_changed(old.pk)
    Attachment.objects.create(
        owner=alice, post=in_garden.posts.get(), width=1, height=1, size_bytes=1
    )
    indexing.post_changed(in_garden.posts.get().pk)

    assert found_titles(client, "basil", category=garden.pk) == ["Herbs outside"]
    assert found_titles(client, "basil", author="ALICE") == ["Herbs outside"]
    since = (timezone.now() - timedelta(days=30)).date().isoformat()
    assert found_titles(client, "basil", since=since) == ["Herbs outside"]
    until = (timezone.now() - timedelta(days=300)).date().isoformat()
    assert found_titles(client, "basil", until=until) == ["Herbs inside"]
    assert found_titles(client, "basil", attachments="on") == ["Herbs outside"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "Type a word or two"),
        ({"q": "x" * 1000}, "at most 200 characters"),
        ({"q": "*"}, "punctuation alone"),
        ({"q": "-alone"}, "exclusions alone"),
        ({"q": "basil", "author": "nobody-here"}, "No member is called nobody-here"),
        ({"q": "basil", "since": "2024-13-45"}, "Enter a valid date"),
        ({"q": "basil", "since": "2025-02-01", "until": "2025-01-01"}, "comes before"),
        ({"q": "basil", "category": "999999"}, "Select a valid choice"),
        ({"q": "basil", "topic": "-3"}, "greater than or equal to 1"),
        ({"q": "basil\x00"}, "Null characters are not allowed"),
    ],
)
def test_bad_input_gets_a_clear_message(client, forum, params, message):
    response = client.get("/search/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("q", "finds"),
    [
        ('"unclosed basil', False), ('"basil', True), ("AND OR", True), ("NEAR(", True),
        ("NEAR(basil, 3)", False), ("NEAR(basil)", True), ("ba\x07sil\x1b[31m", False),
        ("basil\x1b", True), ("{title}: basil", True), ("basil OR", True),
        ("title:basil", True), ("(basil", True), ("^basil", True),
        ("basil'; DROP TABLE x;--", False), ("!basil & ", True), ("🌿 basil", True),
        ("basil*", True), ("b*", True), ("-", False), ("basil -near", False),
    ],
)  # fmt: skip
def test_engine_syntax_is_only_ever_words(client, forum, q, finds):
    topic = forum.topic("Basil", "Basil and title and near and or words.")
    response = client.get("/search/", {"q": q})
    assert response.status_code in (200, 400)  # a message, never a 500
    results = response.context["results"]
    if q == "AND OR" and connection.vendor == "postgresql":
        finds = False  # stop words in PostgreSQL's English configuration: nothing to find
    found = bool(results and topic.posts.get().pk in [r.post.pk for r in results.results])
    assert found == finds


def test_a_bad_page_number_is_a_404_and_past_the_end_is_the_last_page(client, forum):
    forum.topic("Pages", "pages")
    assert client.get("/search/", {"q": "pages", "page": "abc"}).status_code == 404
    assert found_ids(client, "pages", page="99999")


def test_results_pages_cost_the_same_whatever_they_hold(
    client, forum, settings, django_assert_max_num_queries
):
    settings.FOLKMOOT = {**settings.FOLKMOOT, "SEARCH_RESULTS_PER_PAGE": 5}
    topic = forum.topic("Quilts", "quilting bee")
    for n in range(12):
        forum.reply(topic, f"quilting reply {n}", author=MemberFactory())
    username = topic.author.username
    # 1 categories for the filter, 2 count of matches and page of ids and passages, 3 the
    # page's posts with topic, category and author, 4 author by name.
    with django_assert_max_num_queries(4):
        response = client.get("/search/", {"q": "quilting", "author": username})
    assert response.status_code == 200
    with django_assert_max_num_queries(3):
        full = client.get("/search/", {"q": "quilting", "page": "2"})
    assert len(full.context["results"].results) == 5
    assert full.context["results"].total == 13


def test_every_page_has_a_search_box_that_works_without_javascript(client, forum):
    topic = forum.topic("Header", "header box")
    for url in ("/", topic.get_absolute_url(), topic.category.get_absolute_url()):
        page = client.get(url).content.decode()
        assert 'role="search"' in page and 'action="/search/"' in page
        assert 'method="get"' in page
        assert "<script>" not in page  # only external scripts: the CSP allows no inline ones
    assert found_ids(client, "header")


def test_suggestions_are_a_few_topics_by_title_with_the_last_word_a_prefix(client, forum):
    forum.topic("Beekeeping for beginners", "bees")
    forum.topic("Beeswax candles", "wax")
    forum.topic("Cheese", "no bees here")
    data = client.get("/search/suggest.json", {"q": "bee"}).json()
    assert {topic["title"] for topic in data["topics"]} == {
        "Beekeeping for beginners",
        "Beeswax candles",
    }
    assert client.get("/search/suggest.json", {"q": "*"}).json()["topics"] == []
    assert client.get("/search/suggest.json", {"q": "x" * 1000}).json()["error"]
