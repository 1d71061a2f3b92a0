"""The page cache's files without Redis: `add` is won by exactly one of many at once."""

import threading

from folkmoot.file_cache import SharedFileCache


def test_only_one_of_many_concurrent_adds_wins_and_an_expired_entry_can_be_added_again(
    tmp_path,
):
    cache = SharedFileCache(str(tmp_path), {})
    barrier = threading.Barrier(12)
    won = []

    def add(n):
        barrier.wait()
        won.append(cache.add("lock", n, timeout=30))

    threads = [threading.Thread(target=add, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert won.count(True) == 1
    assert cache.get("lock") is not None

    cache.set("old", 1, timeout=-1)  # already expired
    assert cache.add("old", 2, timeout=30)
    assert cache.get("old") == 2
    assert len(list(tmp_path.iterdir())) == 2  # no temporary files left behind


def test_get_many_reads_what_set_wrote_and_leaves_out_missing_and_expired_entries(tmp_path):
    cache = SharedFileCache(str(tmp_path), {})
    cache.set("version", "1.0:abc", timeout=None)
    cache.set("page", ("1.0:abc", b"<html>" * 1000), timeout=30)
    cache.set("stale", 1, timeout=-1)  # already expired
    found = cache.get_many(["version", "page", "stale", "never set"])
    assert found == {"version": "1.0:abc", "page": ("1.0:abc", b"<html>" * 1000)}
    assert len(list(tmp_path.iterdir())) == 2  # the expired entry's file is gone
