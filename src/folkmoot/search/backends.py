"""The two full-text engines behind one interface: SQLite FTS5 and PostgreSQL's tsvector.

`engine()` picks by the database vendor; nothing outside this app knows which one runs. Each
engine installs its structures (migration 0002, `reindex --rebuild`), and answers a search with
the matching post ids in order and a passage of each with the words marked by MARK_START and
MARK_END (characters indexing.py removes from every indexed text, so the marks are ours alone).

Visibility is part of every query: only published posts of topics that are not deleted and
have a published opening post, in categories the reader may see.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.utils import DatabaseError

from .syntax import Query, Term

MARK_START, MARK_END = "\ue000", "\ue001"
ELLIPSIS = "…"
# A search ranks (or sorts by date) only the newest this-many matches of its words and its
# filters: a word in most of a million posts would otherwise be scored in every one of them
# on each search. Every filter is part of the full-text lookup (SQLite: tokens of a `keys`
# column, and the date range checked as the lookup walks its matches newest first;
# PostgreSQL: btree indexes read newest first), so "kitchen by bench7 in 2024" ranks bench7's
# newest 1,000 posts of 2024 with the word, not the forum's. The lookup reads one row past
# the bound, only to tell whether it left older matches out; the results page then says so
# (Count.capped).
# 1,000 rather than 2,000 halves the cost of a word in a few percent of posts (PostgreSQL
# reads its posts newest first until it has found this many, BENCHMARKS.md).
CANDIDATES = 1_000
COUNT_CAP = CANDIDATES  # "more than 1,000 results": counting every match of a word is waste
# SQLite's bm25() weighs each word by how many posts hold it, and counts them by reading the
# word's whole list: 250 ms for a word in 94% of a million posts, whatever the candidates.
# A query with a word (or prefix) in more posts than this is not scored: its candidates come
# newest first. Such a word says little about relevance anyway (bm25 gives a word in half
# the posts a weight of nearly zero).
RANKED_WORD_LIMIT = 20_000
# SQLite, a date range with an end: FTS5 walks a query's matches newest first, so a query in
# many posts ("kitchen", up to two years ago) tests every newer match's date first (650,000 of
# them, 1-2 s). When more than DATE_FIRST_SHARE of the newest DATE_FIRST_SAMPLE posts match,
# the range's posts are walked newest first instead (search_created_idx), each looked up in
# FTS5: about CANDIDATES / share lookups, at most 5,000. A lookup costs 15-20 times a date
# checked on the walk (40-55 µs against 2.5 µs at a million posts), hence a high share: a
# word in 20% of posts, up to two years ago, costs about the same either way (200-300 ms).
# Measured at a million posts, a range ending two years ago: "kitchen" (94% of posts) 935 ->
# 47-94 ms, while "bicycle" (2.8%) stays faster walking its matches (47 ms, against 900 ms).
DATE_FIRST_SAMPLE = 10_000
DATE_FIRST_SHARE = 0.2
# PostgreSQL: a lookup without a date range first looks among the newest this-many post ids
# (PostgresEngine._numbered_lookup).
RECENT_POSTS = 100_000
LANGUAGE = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Filters:
    category_ids: tuple[int, ...] | None = None  # None: every category the reader may see
    author_id: int | None = None
    topic_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    titles_only: bool = False
    has_attachments: bool = False

    @property
    def dated(self) -> bool:
        return self.since is not None or self.until is not None


@dataclass(frozen=True)
class Count:
    total: int  # up to CANDIDATES
    rankable: bool = True  # False: relevance cannot be scored cheaply, list newest first
    # True: the lookup stopped at the newest CANDIDATES matches, so older ones were not weighed.
    capped: bool = False


@dataclass(frozen=True)
class Hit:
    post_id: int
    passage: str  # plain text with MARK_START/MARK_END around matched words


def language() -> str:
    name = settings.FOLKMOOT["SEARCH_LANGUAGE"].lower()
    if not LANGUAGE.fullmatch(name):
        raise ValueError(f"FOLKMOOT_SEARCH_LANGUAGE must be a word like 'english', not {name!r}")
    return name


def _visibility_sql(filters: Filters, readable_category_ids: list[int] | None) -> tuple[str, list]:
    sql = [
        "p.status = 'published'",
        "t.is_deleted = %(false)s",
        "t.post_count > 0",
    ]
    params: list = []
    for ids in (readable_category_ids, filters.category_ids):
        if ids is not None:
            sql.append(f"t.category_id IN ({', '.join(['%s'] * len(ids)) or 'NULL'})")
            params.extend(ids)
    if filters.author_id is not None:
        sql.append("i.author_id = %s")
        params.append(filters.author_id)
    if filters.topic_id is not None:
        sql.append("i.topic_id = %s")
        params.append(filters.topic_id)
    dates, date_params = _dates_sql(filters, "i")
    sql.extend(dates)
    params.extend(date_params)
    if filters.has_attachments:
        sql.append("i.has_attachments = %(true)s")
    return " AND ".join(sql), params


def _dates_sql(filters: Filters, row: str) -> tuple[list[str], list]:
    """The date range's conditions on an index row's `created_at`, from (inclusive) and to
    (exclusive), with the bounds as the database stores dates (SQLite compares text)."""
    sql, params = [], []
    for bound, operator in ((filters.since, ">="), (filters.until, "<")):
        if bound is not None:
            sql.append(f"{row}.created_at {operator} %s")
            params.append(connection.ops.adapt_datetimefield_value(bound))
    return sql, params


# SQLite: the candidates, then each one's index row, post and topic by key, in that order
# (CROSS JOIN fixes SQLite's join order): left to choose, SQLite started a search whose lookup
# is a UNION ALL (`_dated_lookup`) from every published post (the status index) and looked
# each up in the candidates, 1.4 s.
JOINS = (
    "CROSS JOIN search_indexedpost i ON i.post_id = m.rowid "
    "CROSS JOIN discussions_post p ON p.id = i.post_id "
    "CROSS JOIN discussions_topic t ON t.id = i.topic_id "
)


def _keys_sql(row: str) -> str:
    """The filter tokens of an index row, as an SQL expression over `row` (a table alias, or a
    trigger's `new`/`old`): `a<author id> c<category id> t<topic id>`, and `attached`."""
    return (
        f"coalesce('a' || {row}.author_id || ' ', '') || 'c' || {row}.category_id "
        f"|| ' t' || {row}.topic_id || CASE WHEN {row}.has_attachments THEN ' attached' "
        "ELSE '' END"
    )


class SQLiteEngine:
    """FTS5 with the index's text in search_indexedpost (external content, through the view
    search_fts_content), kept in step by triggers; bm25 ranking (a title match weighs 8 body
    matches); snippet() passages.

    A third column, `keys`, holds the row's author, category and topic as tokens (`a7 c2 t90`,
    `_keys_sql`), so a filter is one more term of the MATCH and FTS5 intersects its short list
    with the words' lists, newest first, instead of joining every match of a common word to
    check its author. The reader's words only ever search the title and body columns."""

    COLUMNS = "post_id, title, body, keys"

    def install(self, conn) -> None:
        tokenizer = "unicode61 remove_diacritics 2"
        if language() == "english":
            tokenizer = "porter " + tokenizer
        with conn.cursor() as cursor:
            self.uninstall(conn)
            cursor.execute(
                "CREATE VIEW search_fts_content AS SELECT post_id, title, body, "
                f"{_keys_sql('search_indexedpost')} AS keys FROM search_indexedpost"
            )
            cursor.execute(
                "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, keys, "
                "content='search_fts_content', content_rowid='post_id', "
                # Prefix indexes: "ph*" reads one list instead of merging thousands of words'.
                "prefix='2 3 4', "
                f"tokenize='{tokenizer}')"
            )
            insert_new = (
                "INSERT INTO search_fts(rowid, title, body, keys) "
                f"VALUES (new.post_id, new.title, new.body, {_keys_sql('new')}); "
            )
            delete_old = (
                "INSERT INTO search_fts(search_fts, rowid, title, body, keys) "
                f"VALUES ('delete', old.post_id, old.title, old.body, {_keys_sql('old')}); "
            )
            cursor.execute(
                "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_indexedpost "
                f"BEGIN {insert_new}END"
            )
            cursor.execute(
                "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_indexedpost "
                f"BEGIN {delete_old}END"
            )
            cursor.execute(
                "CREATE TRIGGER search_fts_update AFTER UPDATE OF title, body, author_id, "
                "category_id, topic_id, has_attachments ON search_indexedpost "
                f"BEGIN {delete_old}{insert_new}END"
            )
            # Index what the table already holds (nothing, on a new install).
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")

    def uninstall(self, conn) -> None:
        with conn.cursor() as cursor:
            for trigger in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER IF EXISTS search_fts_{trigger}")
            cursor.execute("DROP TABLE IF EXISTS search_fts")
            cursor.execute("DROP VIEW IF EXISTS search_fts_content")

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")

    @staticmethod
    def _term(term: Term) -> str:
        # Every word in double quotes: FTS5 reads a quoted string as text, never as syntax.
        # Words hold letters and digits only (syntax.WORD), so no quote can close it early.
        text = '"' + " ".join(term.words) + '"'
        return text + " *" if term.prefix else text

    def match_expression(self, query: Query, filters: Filters) -> str:
        expression = " AND ".join(self._term(term) for term in query.included)
        for term in query.excluded:
            expression = f"({expression}) NOT {self._term(term)}"
        columns = "title" if filters.titles_only else "title body"
        keys = []
        if filters.author_id is not None:
            keys.append(f'"a{int(filters.author_id)}"')
        if filters.category_ids is not None:
            ids = " OR ".join(f'"c{int(pk)}"' for pk in filters.category_ids)
            keys.append(f"({ids})" if ids else '"c0"')  # no category: no match
        if filters.topic_id is not None:
            keys.append(f'"t{int(filters.topic_id)}"')
        if filters.has_attachments:
            keys.append('"attached"')
        return " AND ".join(
            [f"{{{columns}}} : ({expression})"] + [f"{{keys}} : {key}" for key in keys]
        )

    def _lookup(self, query, filters, rank: str, limit: str | None = None) -> tuple[str, list]:
        """The full-text lookup: the newest CANDIDATES matches of the words and filters, with
        `rank`. A date range is checked as the lookup walks its matches newest first (each
        match's index row read by its key; CROSS JOIN keeps the full-text table the outer
        loop), so the bound counts only matches within the range."""
        dates, params = _dates_sql(filters, "d")
        join = where = ""
        if dates:
            join = " CROSS JOIN search_indexedpost d ON d.post_id = search_fts.rowid"
            where = " AND " + " AND ".join(dates)
        sql = (
            f"SELECT search_fts.rowid AS rowid, {rank} AS rank FROM search_fts{join} "
            f"WHERE search_fts MATCH %s{where} "
            f"ORDER BY search_fts.rowid DESC LIMIT {limit or CANDIDATES + 1}"
        )
        return sql, [self.match_expression(query, filters), *params]

    def _dense_probe(self, query, filters) -> tuple[str, list]:
        """SQL true when more than DATE_FIRST_SHARE of the newest DATE_FIRST_SAMPLE posts
        match the whole lookup expression (words and filters): at most a few thousand rows
        read, whatever the query's words."""
        threshold = int(DATE_FIRST_SAMPLE * DATE_FIRST_SHARE)
        return (
            f"(SELECT count(*) > {threshold} FROM (SELECT 1 FROM search_fts "
            "WHERE search_fts MATCH %s AND search_fts.rowid > "
            f"(SELECT max(post_id) FROM search_indexedpost) - {DATE_FIRST_SAMPLE} "
            f"LIMIT {threshold + 1}))",
            [self.match_expression(query, filters)],
        )

    def _dated_lookup(self, query, filters, rank: str) -> tuple[str, list]:
        """The lookup of a query with a date range's end: `_lookup`, unless the query matches
        many of the newest posts (`dense`, in the CTE `c`, `_dense_probe`): then the range's posts
        newest first (search_created_idx), each looked up in FTS5 by its rowid (CROSS JOIN
        keeps the posts the outer loop). The other branch gets LIMIT 0, and SQLite skips its
        loop without starting it."""
        skipped_when_dense = f"(SELECT CASE WHEN dense THEN 0 ELSE {CANDIDATES + 1} END FROM c)"
        by_words, params = self._lookup(query, filters, rank, skipped_when_dense)
        dates, date_params = _dates_sql(filters, "d")
        sql = (
            f"SELECT * FROM ({by_words}) UNION ALL SELECT * FROM ("
            "SELECT d.post_id AS rowid, 0 AS rank FROM search_indexedpost d "
            "CROSS JOIN search_fts ON search_fts.rowid = d.post_id "
            f"WHERE {' AND '.join(dates)} AND search_fts MATCH %s "
            "ORDER BY d.created_at DESC, d.post_id DESC "
            f"LIMIT (SELECT CASE WHEN dense THEN {CANDIDATES + 1} ELSE 0 END FROM c))"
        )
        return sql, [*params, *date_params, self.match_expression(query, filters)]

    def hits(self, query, *, filters, readable_category_ids, newest, offset, limit) -> list[Hit]:
        """A page of matching posts, best (or newest) first, with passages. One query: the
        page first, then snippet() for its rows only (CROSS JOIN: SQLite keeps the page as
        the outer loop and seeks each row in the full-text index, rather than matching the
        words in every post and joining the page to that)."""
        where, params = _visibility_sql(filters, readable_category_ids)
        where = where.replace("%(false)s", "0").replace("%(true)s", "1")
        lookup, lookup_params = self._lookup(
            query, filters, "0" if newest else "bm25(search_fts, 8.0, 1.0, 0.0)"
        )
        # The passage's lookup matches the words alone, so snippet() never picks `keys`.
        words = self.match_expression(query, Filters(titles_only=filters.titles_only))
        if newest:
            inner, outer = "i.created_at DESC, i.post_id DESC", "page.created_at DESC"
        else:
            inner, outer = "m.rank, i.post_id DESC", "page.rank"
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH m AS MATERIALIZED ({lookup}), page AS MATERIALIZED (SELECT i.post_id, "
                "m.rank, i.created_at "
                f"FROM (SELECT * FROM m ORDER BY rowid DESC LIMIT {CANDIDATES}) m "
                f"{JOINS}WHERE {where} ORDER BY {inner} LIMIT %s OFFSET %s) "
                "SELECT page.post_id, snippet(search_fts, -1, %s, %s, %s, 32) "
                "FROM page CROSS JOIN search_fts ON search_fts.rowid = page.post_id "
                f"WHERE search_fts MATCH %s ORDER BY {outer}, page.post_id DESC",
                [*lookup_params, *params, limit, offset, MARK_START, MARK_END, ELLIPSIS, words],
            )
            return [Hit(post_id=row[0], passage=row[1]) for row in cursor.fetchall()]

    def _probes(self, query) -> tuple[str, list]:
        """SQL true when a word (or prefix) of the query is in more than RANKED_WORD_LIMIT
        posts: each word's list read no further than that."""
        probes, params = [], []
        for term in query.terms:
            for n, word in enumerate(term.words):
                prefix = " *" if term.prefix and n == len(term.words) - 1 else ""
                params.append(f'{{title body}} : "{word}"{prefix}')
                probes.append(
                    f"(SELECT count(*) > {RANKED_WORD_LIMIT} FROM (SELECT 1 FROM search_fts "
                    f"WHERE search_fts MATCH %s LIMIT {RANKED_WORD_LIMIT + 1}))"
                )
        return " + ".join(probes) or "0", params

    def search(
        self, query, *, filters, readable_category_ids, newest, offset, limit
    ) -> tuple[Count, list[Hit]]:
        """How many match (up to CANDIDATES) and a page of them with
        passages, in one query: the full-text lookup and the visibility joins run once, the
        count and the page both read their result. Relevance is bm25 unless a word is too
        common to score (then, as for `newest`, the newest first)."""
        where, params = _visibility_sql(filters, readable_category_ids)
        where = where.replace("%(false)s", "0").replace("%(true)s", "1")
        words = self.match_expression(query, Filters(titles_only=filters.titles_only))
        probes, probe_params = self._probes(query)
        rank = (
            "0"
            if newest
            else "CASE WHEN (SELECT common FROM c) THEN 0 ELSE bm25(search_fts, 8.0, 1.0, 0.0) END"
        )
        if filters.until is not None:
            lookup, lookup_params = self._dated_lookup(query, filters, rank)
            dense, dense_params = self._dense_probe(query, filters)
        else:
            lookup, lookup_params = self._lookup(query, filters, rank)
            dense, dense_params = "0", []
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH c AS MATERIALIZED (SELECT ({probes}) > 0 AS common, {dense} AS dense), "
                f"m AS MATERIALIZED ({lookup}), "
                "v AS MATERIALIZED (SELECT i.post_id, m.rank, i.created_at "
                f"FROM (SELECT * FROM m ORDER BY rowid DESC LIMIT {CANDIDATES}) m "
                f"{JOINS}WHERE {where}), "
                "page AS MATERIALIZED (SELECT post_id, row_number() OVER "
                "(ORDER BY rank, created_at DESC, post_id DESC) AS n FROM v "
                "ORDER BY rank, created_at DESC, post_id DESC LIMIT %s OFFSET %s) "
                "SELECT 0 AS n, NULL, NULL, (SELECT count(*) FROM v), "
                "(SELECT common OR dense FROM c), (SELECT count(*) FROM m) "
                "UNION ALL SELECT page.n, page.post_id, "
                "snippet(search_fts, -1, %s, %s, %s, 32), NULL, NULL, NULL "
                "FROM page CROSS JOIN search_fts ON search_fts.rowid = page.post_id "
                "WHERE search_fts MATCH %s ORDER BY 1",
                [*probe_params, *dense_params, *lookup_params, *params, limit, offset,
                 MARK_START, MARK_END, ELLIPSIS, words],
            )  # fmt: skip
            rows = cursor.fetchall()
        _n, _id, _passage, total, common, looked_up = rows[0]
        hits = [Hit(post_id=row[1], passage=row[2]) for row in rows[1:]]
        return Count(total=total, rankable=not common, capped=looked_up > CANDIDATES), hits

    def index_size(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat "
                "WHERE name LIKE 'search_fts%' OR name LIKE 'search_indexedpost%'"
            )
            return cursor.fetchone()[0]


class PostgresEngine:
    """tsvector columns on search_indexedpost, written by a trigger with the text search
    configuration `folkmoot_search` (the language's stemmer behind `unaccent`), GIN indexes,
    websearch_to_tsquery for words and phrases, to_tsquery for prefixes, ts_rank_cd ranking,
    ts_headline passages."""

    CONFIG = "folkmoot_search"
    # The candidates' post and topic, each looked up by its key (OFFSET 0 keeps the planner
    # from turning a lookup into a join): as a join, PostgreSQL hashed all 50,000 topics of
    # the benchmark to check 1,000 candidates, 170 ms.
    VISIBILITY_JOINS = (
        "CROSS JOIN LATERAL (SELECT status FROM discussions_post WHERE id = i.post_id "
        "OFFSET 0) p CROSS JOIN LATERAL (SELECT is_deleted, post_count, category_id "
        "FROM discussions_topic WHERE id = i.topic_id OFFSET 0) t "
    )

    def install(self, conn) -> None:
        name = language()
        stem = "simple" if name == "simple" else f"{name}_stem"
        with conn.cursor() as cursor:
            unaccent = self._create_unaccent(conn)
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {self.CONFIG}")
            cursor.execute(
                f"CREATE TEXT SEARCH CONFIGURATION {self.CONFIG} (COPY = pg_catalog.{name})"
            )
            if unaccent:
                cursor.execute(
                    f"ALTER TEXT SEARCH CONFIGURATION {self.CONFIG} "
                    f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stem}"
                )
            # Each step only when missing: ALTER TABLE, CREATE TRIGGER and CREATE INDEX are
            # refused inside a transaction with pending constraint checks (`reindex --rebuild`).
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_name = 'search_indexedpost' AND column_name = 'document'"
            )
            if not cursor.fetchone()[0]:
                cursor.execute(
                    "ALTER TABLE search_indexedpost "
                    "ADD COLUMN document tsvector, ADD COLUMN title_document tsvector"
                )
            cursor.execute(
                "CREATE OR REPLACE FUNCTION search_indexedpost_documents() RETURNS trigger AS $$ "
                "BEGIN "
                f"NEW.document := setweight(to_tsvector('{self.CONFIG}', NEW.title), 'A') "
                f"|| setweight(to_tsvector('{self.CONFIG}', NEW.body), 'D'); "
                f"NEW.title_document := to_tsvector('{self.CONFIG}', NEW.title); "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'search_indexedpost_documents'"
            )
            if not cursor.fetchone()[0]:
                cursor.execute(
                    "CREATE TRIGGER search_indexedpost_documents "
                    "BEFORE INSERT OR UPDATE OF title, body ON search_indexedpost "
                    "FOR EACH ROW EXECUTE FUNCTION search_indexedpost_documents()"
                )
            cursor.execute(
                "SELECT count(*) FROM pg_indexes WHERE tablename = 'search_indexedpost' "
                "AND indexname IN ('search_document_gin', 'search_title_document_gin')"
            )
            if cursor.fetchone()[0] < 2:
                cursor.execute(
                    "CREATE INDEX IF NOT EXISTS search_document_gin "
                    "ON search_indexedpost USING gin (document)"
                )
                cursor.execute(
                    "CREATE INDEX IF NOT EXISTS search_title_document_gin "
                    "ON search_indexedpost USING gin (title_document)"
                )
            # Documents written under an earlier configuration are written again.
            cursor.execute("UPDATE search_indexedpost SET title = title")

    @staticmethod
    def _create_unaccent(conn) -> bool:
        """Accent-insensitive matching needs the unaccent extension (in PostgreSQL's contrib,
        shipped with the server packages); creating it needs a privileged role. Without it,
        accents must match."""
        try:
            with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            return True
        except DatabaseError:
            return False

    def uninstall(self, conn) -> None:
        with conn.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER IF EXISTS search_indexedpost_documents ON search_indexedpost"
            )
            cursor.execute("DROP FUNCTION IF EXISTS search_indexedpost_documents()")
            cursor.execute(
                "ALTER TABLE search_indexedpost DROP COLUMN IF EXISTS document, "
                "DROP COLUMN IF EXISTS title_document"
            )
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {self.CONFIG}")

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_indexedpost")

    @staticmethod
    def _websearch_term(term: Term) -> str:
        # Quoted, so "or" is a word and not websearch's OR; words hold letters and digits only.
        return ("-" if term.excluded else "") + '"' + " ".join(term.words) + '"'

    @staticmethod
    def _prefix_term(term: Term) -> str:
        return ("!" if term.excluded else "") + f"'{term.words[0]}':*"

    def tsquery_params(self, query: Query) -> tuple[str, str]:
        words = [self._websearch_term(term) for term in query.terms if not term.prefix]
        prefixes = [self._prefix_term(term) for term in query.terms if term.prefix]
        return " ".join(words), " & ".join(prefixes)

    def _tsquery(self, query: Query) -> tuple[str, list]:
        words, prefixes = self.tsquery_params(query)
        return (
            f"(websearch_to_tsquery('{self.CONFIG}', %s) && to_tsquery('{self.CONFIG}', %s))",
            [words, prefixes],
        )

    @staticmethod
    def _newest(filters: Filters, row: str = "") -> str:
        """The lookup's order. With a date range, newest by date: the planner then starts
        from `search_created_idx` at the range's end instead of walking every newer post
        ("kitchen" up to two years ago: 4 s through the primary key)."""
        if filters.dated:
            return f"{row}created_at DESC, {row}post_id DESC"
        return f"{row}post_id DESC"

    def _lookup(self, query, filters, *, posts: str = "", limit: str = "") -> tuple[str, list]:
        """The full-text lookup: the newest CANDIDATES matches of the words and filters. The
        tsquery is written out (not read from a CTE), so the planner sees it and weighs the
        GIN index against reading the post ids newest first: a word in most posts finds its
        newest matches within the first rows of the primary key (or of an author's,
        category's or topic's index), a rare one through the GIN index."""
        column = "title_document" if filters.titles_only else "document"
        tsquery, params = self._tsquery(query)
        conditions = [f"c.{column} @@ {tsquery}"]
        for name in ("author_id", "topic_id"):
            if getattr(filters, name) is not None:
                conditions.append(f"c.{name} = %s")
                params.append(getattr(filters, name))
        if filters.category_ids is not None:
            ids = filters.category_ids
            conditions.append(f"c.category_id IN ({', '.join(['%s'] * len(ids)) or 'NULL'})")
            params.extend(ids)
        if filters.has_attachments:
            conditions.append("c.has_attachments")
        dates, date_params = _dates_sql(filters, "c")
        conditions.extend(dates)
        params.extend(date_params)
        if posts:  # a range of post ids, `RECENT_POSTS`
            conditions.append(f"c.post_id {posts}")
        # Each candidate's row is read here anyway: what the visibility check, the order and
        # the rank need comes along, so the index rows are not read a second time.
        sql = (
            "SELECT c.post_id, c.topic_id, c.author_id, c.created_at, c.has_attachments, "
            f"c.{column} AS document FROM search_indexedpost c "
            f"WHERE {' AND '.join(conditions)} ORDER BY {self._newest(filters, 'c.')} "
            f"LIMIT {limit or CANDIDATES + 1}"
        )
        return sql, params

    def _numbered_lookup(self, query, filters) -> tuple[str, list]:
        """The lookup's rows numbered in their order (newest first): the CTE `m`.

        With a date range, one step (ordered by date, `_newest`). Without, two steps: the
        matches among the newest RECENT_POSTS post ids, then, only if those are fewer than
        the bound, the older ones up to it (LIMIT 0 otherwise: not run). The first step's
        range lets the planner intersect the GIN
        index's matches with the BRIN index of post ids (migration 0008), so a word in 1% of
        posts reads the heap pages of its ~1,000 newest matches, not every match's page
        (bitmap) nor 100 posts per match (walking the primary key): `piano`, 105,800 rows
        tested -> 955 pages. A common word still walks the primary key within the range."""
        if filters.dated:
            lookup, params = self._lookup(query, filters)
            return (
                "m AS MATERIALIZED (SELECT found.*, row_number() OVER "
                f"(ORDER BY {self._newest(filters)}) AS n FROM ({lookup}) found)",
                params,
            )
        since = f"(SELECT max(post_id) - {RECENT_POSTS} FROM search_indexedpost)"
        recent, recent_params = self._lookup(query, filters, posts=f"> {since}")
        older, older_params = self._lookup(
            query,
            filters,
            posts=f"<= {since}",
            limit=f"(SELECT {CANDIDATES + 1} - count(*) FROM recent)",
        )
        return (
            "recent AS MATERIALIZED (SELECT found.*, row_number() OVER "
            f"(ORDER BY post_id DESC) AS n FROM ({recent}) found), "
            # The outer LIMIT changes nothing (both steps together read at most that many)
            # but tells the planner so: left to guess the second step's LIMIT, it costed the
            # visibility step for 10,000 rows and crossed jit_above_cost (30 ms of JIT).
            "m AS MATERIALIZED (SELECT * FROM (SELECT * FROM recent UNION ALL SELECT found.*, "
            "(SELECT count(*) FROM recent) + row_number() OVER (ORDER BY post_id DESC) "
            f"FROM ({older}) found) both_steps LIMIT {CANDIDATES + 1})",
            [*recent_params, *older_params],
        )

    def search(
        self, query, *, filters, readable_category_ids, newest, offset, limit
    ) -> tuple[Count, list[Hit]]:
        """How many match (up to CANDIDATES) and a page of them with passages, in one query:
        the lookup and the visibility joins run once, the count and the page both read
        their result; ts_rank_cd for the candidates only (none when newest first) from the
        documents the lookup read, and
        ts_headline, which reads a post's whole text, for the page's rows only. The lookup's
        rows are numbered in the order they come in (no sort: the lookup's own order), so
        the one read past the bound is left out without sorting the documents again."""
        where, params = _visibility_sql(filters, readable_category_ids)
        where = where.replace("%(false)s", "false").replace("%(true)s", "true")
        tsquery, tsquery_params = self._tsquery(query)
        lookup, lookup_params = self._numbered_lookup(query, filters)
        rank = "0" if newest else "ts_rank_cd(i.document, q.query)"
        headline_options = (
            f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=32, MinWords=12, '
            f'MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "'
        )
        order = "rank DESC, created_at DESC, post_id DESC"
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH q AS (SELECT {tsquery} AS query), {lookup}, "
                f"v AS MATERIALIZED (SELECT i.post_id, {rank} AS rank, i.created_at "
                f"FROM m i {self.VISIBILITY_JOINS}CROSS JOIN q "
                f"WHERE i.n <= {CANDIDATES} AND {where}), "
                f"page AS MATERIALIZED (SELECT post_id, row_number() OVER (ORDER BY {order}) "
                f"AS n FROM v ORDER BY {order} LIMIT %s OFFSET %s) "
                "SELECT 0 AS n, NULL, NULL, (SELECT count(*) FROM v), (SELECT count(*) FROM m) "
                "UNION ALL SELECT page.n, page.post_id, "
                f"ts_headline('{self.CONFIG}', concat_ws(' — ', nullif(i.title, ''), i.body), "
                "q.query, %s), NULL, NULL "
                "FROM page JOIN search_indexedpost i ON i.post_id = page.post_id CROSS JOIN q "
                "ORDER BY 1",
                [*tsquery_params, *lookup_params, *params, limit, offset, headline_options],
            )
            rows = cursor.fetchall()
        _n, _id, _passage, total, looked_up = rows[0]
        hits = [Hit(post_id=row[1], passage=row[2]) for row in rows[1:]]
        return Count(total=total, capped=looked_up > CANDIDATES), hits

    def hits(self, query, *, filters, readable_category_ids, newest, offset, limit) -> list[Hit]:
        """A page of matching posts with passages (the search's page, without its count)."""
        return self.search(
            query,
            filters=filters,
            readable_category_ids=readable_category_ids,
            newest=newest,
            offset=offset,
            limit=limit,
        )[1]

    def index_size(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_indexedpost')")
            return cursor.fetchone()[0]


def engine_for(conn) -> SQLiteEngine | PostgresEngine:
    if conn.vendor == "sqlite":
        return SQLiteEngine()
    if conn.vendor == "postgresql":
        return PostgresEngine()
    raise NotImplementedError(f"Search supports SQLite and PostgreSQL, not {conn.vendor}")


def engine() -> SQLiteEngine | PostgresEngine:
    return engine_for(connection)
