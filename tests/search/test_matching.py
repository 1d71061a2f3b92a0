"""What a query finds, on whichever engine the suite runs (SQLite FTS5 or PostgreSQL)."""

from django.db import connection

from folkmoot.search import backends
from tests.search.helpers import found_ids, found_titles


def test_a_topic_about_the_words_ranks_above_a_passing_mention(client, forum):
    passing = forum.topic("Weekend plans", "We might go hiking, or maybe stay in and read.")
    about = forum.topic(
        "Hiking boots for wet trails",
        "Which hiking boots stay dry? Hiking in the rain ruins my boots every time.",
    )
    ids = found_ids(client, "hiking boots")
    assert ids[0] == about.posts.get().pk
    assert passing.posts.get().pk not in ids  # "boots" is missing there: every word counts
    assert found_ids(client, "hiking")[:2] == [about.posts.get().pk, passing.posts.get().pk]


def test_newest_first_orders_by_date(client, forum):
    older = forum.topic("Sourdough starter", "My sourdough starter smells of sourdough.")
    newer = forum.topic("Bread", "A sourdough question.")
    assert found_ids(client, "sourdough", order="newest") == [
        newer.posts.get().pk,
        older.posts.get().pk,
    ]


def test_a_quoted_phrase_needs_the_words_together_in_order(client, forum):
    together = forum.topic("Fox", "The quick brown fox jumps.")
    apart = forum.topic("Fox again", "The fox was brown and quick.")
    assert found_ids(client, '"quick brown fox"') == [together.posts.get().pk]
    assert set(found_ids(client, "quick brown fox")) == {
        together.posts.get().pk,
        apart.posts.get().pk,
    }


def test_a_minus_leaves_out_posts_with_the_word_or_phrase(client, forum):
    python = forum.topic("Snakes", "A python is a snake, not a programming language.")
    cobra = forum.topic("More snakes", "A cobra is a snake too.")
    assert found_ids(client, "snake -python") == [cobra.posts.get().pk]
    assert found_ids(client, 'snake -"cobra is"') == [python.posts.get().pk]


def test_a_star_finds_words_that_start_so(client, forum):
    topic = forum.topic("Photography", "Photographers love photographic gear.")
    assert found_ids(client, "photogr*") == [topic.posts.get().pk]
    assert found_ids(client, "photogr") == []


def test_english_stemming_matches_other_forms_of_a_word(client, forum):
    topic = forum.topic("Running", "She runs every morning and ran yesterday.")
    assert found_ids(client, "running") == [topic.posts.get().pk]


def test_accented_and_unaccented_forms_match_each_other(client, forum):
    cafe = forum.topic("Meeting place", "See you at the café in Zürich.")
    plain = forum.topic("Another place", "The cafe in Zurich is closed.")
    both = {cafe.posts.get().pk, plain.posts.get().pk}
    assert set(found_ids(client, "cafe zurich")) == both
    assert set(found_ids(client, "café zürich")) == both


def test_titles_only_ignores_the_bodies(client, forum):
    titled = forum.topic("Compost heaps", "How warm should it get?")
    forum.topic("Gardening", "My compost heap is cold.")
    assert found_titles(client, "compost", titles="on") == ["Compost heaps"]
    assert titled.posts.get().pk in found_ids(client, "compost")


def test_search_this_topic_finds_only_that_topics_posts(client, forum):
    first = forum.topic("Tomatoes", "Tomatoes need sun.")
    reply = forum.reply(first, "Tomatoes also need water.")
    forum.topic("Other tomatoes", "Tomatoes everywhere.")
    assert set(found_ids(client, "tomatoes", topic=first.pk)) == {
        first.posts.order_by("number").first().pk,
        reply.pk,
    }
    page = client.get(first.get_absolute_url()).content.decode()
    assert f'name="topic" value="{first.pk}"' in page and "Search this topic" in page


def test_an_unfiltered_search_ranks_the_newest_matches_and_a_filter_reaches_the_rest(
    client, forum, monkeypatch
):
    """The cost bound for very common words (backends.CANDIDATES): only the newest matches are
    ranked, but an author, category or topic filter is part of the lookup, so it reaches an
    old post that newer matches elsewhere push out of an unfiltered search."""
    monkeypatch.setattr(backends, "CANDIDATES", 2)
    oldest = forum.topic("Kettles", "kettle descaling")
    for n in range(3):
        forum.topic(f"Kettle {n}", "kettle again")
    old_post = oldest.posts.get()
    assert len(found_ids(client, "kettle")) == 2
    assert old_post.pk not in found_ids(client, "kettle")
    assert found_ids(client, "kettle", category=oldest.category_id) == [old_post.pk]
    assert found_ids(client, "kettle", author=old_post.author.username) == [old_post.pk]
    assert found_ids(client, "kettle", topic=oldest.pk) == [old_post.pk]


def test_the_filters_tokens_are_not_words_a_reader_can_find(client, forum):
    """SQLite keeps each post's author, category and topic as tokens beside its words
    (`a7 c2 t90`); a search for such a token finds only posts that contain it as a word."""
    topic = forum.topic("Kettles", "kettle descaling")
    post = topic.posts.get()
    for token in (f"a{post.author_id}", f"c{topic.category_id}", f"t{topic.pk}", "attached"):
        assert found_ids(client, token) == []
    assert found_ids(client, "kettle", attachments="on") == []


def test_a_word_in_too_many_posts_to_score_lists_its_matches_newest_first(
    client, forum, monkeypatch
):
    """SQLite's bm25 reads the whole list of every word to weigh it; a word in more posts
    than RANKED_WORD_LIMIT is not scored, and the page says it lists the newest first.
    PostgreSQL's ts_rank_cd reads only the candidates, so it ranks every query."""
    monkeypatch.setattr(backends, "RANKED_WORD_LIMIT", 1)
    about = forum.topic("Hiking boots", "Hiking boots for hiking, hiking all day.")
    passing = forum.topic("Weekend", "Maybe some hiking.")
    response = client.get("/search/", {"q": "hiking"})
    ids = [result.post.pk for result in response.context["results"].results]
    if connection.vendor == "sqlite":
        assert ids == [passing.posts.get().pk, about.posts.get().pk]
        assert response.context["results"].ranked is False
        assert "newest first: a word is in too many posts to rank" in response.content.decode()
    else:
        assert ids == [about.posts.get().pk, passing.posts.get().pk]
        assert response.context["results"].ranked is True
    monkeypatch.setattr(backends, "RANKED_WORD_LIMIT", 2)
    assert found_ids(client, "hiking") == [about.posts.get().pk, passing.posts.get().pk]
