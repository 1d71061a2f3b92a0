"""Django's file-based cache, with an `add` that is atomic across processes.

The anonymous page cache (discussions/page_cache.py) lives in files when there is no Redis,
shared by every `serve` process and the worker. Its burst lock is an `add`, which Django's
FileBasedCache does as "exists? then write": two processes can both win. Here the entry is
written to a temporary file and hard-linked into place, which fails if the name exists.
"""

import os
import tempfile

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class SharedFileCache(FileBasedCache):
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._createdir()
        fname = self._key_to_file(key, version)
        self._cull()
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            for _ in range(2):  # once more if the entry found was expired (and so removed)
                try:
                    os.link(tmp_path, fname)
                    return True
                except FileExistsError:
                    if self.has_key(key, version):
                        return False
            return False
        finally:
            os.remove(tmp_path)
