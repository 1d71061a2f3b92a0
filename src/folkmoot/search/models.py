from django.db import models


class IndexedPost(models.Model):
    """One searchable post: its text as plain words, and what the filters need, so a search
    never reads the post table's HTML. Only posts a reader could see are here (indexing.py),
    and the search query checks their state again.

    The full-text part lives beside it, per database (backends.py, migration 0002): on SQLite an
    FTS5 table whose external content is this table, kept in step by triggers; on PostgreSQL
    tsvector columns of this table with GIN indexes.
    """

    post = models.OneToOneField(
        "discussions.Post", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    # Each filter column is indexed with the post id after it (Meta), so PostgreSQL reads one
    # author's, category's or topic's entries newest first; SQLite filters in its FTS5 table.
    topic = models.ForeignKey(
        "discussions.Topic", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    category = models.ForeignKey(
        "forums.Category", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    author = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField()
    # The topic's title on its opening post only: "titles only" searches this.
    title = models.TextField(blank=True)
    body = models.TextField()
    has_attachments = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="search_created_idx"),
            models.Index(fields=["author", "post"], name="search_author_idx"),
            models.Index(fields=["category", "post"], name="search_category_idx"),
            models.Index(fields=["topic", "post"], name="search_topic_idx"),
        ]

    def __str__(self) -> str:
        return f"Index of post {self.post_id}"


class ReindexProgress(models.Model):
    """Where a `reindex` run got to, so an interrupted one resumes instead of starting over."""

    started_at = models.DateTimeField()
    last_post_id = models.BigIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Reindex from {self.started_at:%Y-%m-%d %H:%M}, at post {self.last_post_id}"
