from io import StringIO

import pytest
from django.core.management import call_command

from folkmoot.discussions.models import Post
from folkmoot.search import indexing
from folkmoot.search.models import IndexedPost, ReindexProgress
from tests.search.helpers import found_ids


def test_reindex_rebuilds_a_lost_index_in_batches_with_progress(client, forum, moderator):
    topic = forum.topic("Violins", "Violins need rosin.")
    for n in range(4):
        forum.reply(topic, f"Violin reply {n}")
    forum.reply(topic, "Gone reply about violins")
    from folkmoot.discussions import services

    with forum.committed():
        services.delete_post(
            post=Post.objects.get(body="Gone reply about violins"), actor=moderator
        )
    IndexedPost.objects.all().delete()
    assert found_ids(client, "violin") == []
    out = StringIO()
    call_command("reindex", "--batch", "2", stdout=out)
    assert "6/6 posts" in out.getvalue() and "100.0%" in out.getvalue()
    assert len(found_ids(client, "violin")) == 5
    assert ReindexProgress.objects.get().finished_at is not None


def test_an_interrupted_reindex_resumes_where_it_stopped(forum, monkeypatch):
    topic = forum.topic("Cellos", "Cellos.")
    for n in range(5):
        forum.reply(topic, f"Cello reply {n}")
    IndexedPost.objects.all().delete()
    written = []
    real_write = indexing.write

    def write_then_fail(ids):
        if written:
            raise KeyboardInterrupt
        written.append(ids)
        return real_write(ids)

    monkeypatch.setattr(indexing, "write", write_then_fail)
    with pytest.raises(KeyboardInterrupt):
        call_command("reindex", "--batch", "2", stdout=StringIO())
    assert IndexedPost.objects.count() == 2
    monkeypatch.setattr(indexing, "write", real_write)
    out = StringIO()
    call_command("reindex", "--batch", "2", "--rebuild", stdout=out)
    assert "Resuming" in out.getvalue()
    assert IndexedPost.objects.count() == 6
