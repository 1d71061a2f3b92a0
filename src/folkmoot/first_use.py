"""A module imported when one of its names is first read, not when its importer is.

The views modules name the services that write (posting, moderation, notifications, drafts),
whose imports pull in the post lifecycle, its events, search indexing, mail and the fetcher
(~1 MiB a web worker, BENCHMARKS.md "Memory"). A worker that only shows pages never calls
them, so the views hold them through this and the first write imports them. The import
system's own locks make that first import safe from several threads at once (unlike
importlib.util.LazyLoader before Python 3.12). import-linter does not see a name given as
text: hold only modules the importer may import anyway (its own app's, or a floor below).
"""

import importlib
from types import ModuleType


class ModuleOnFirstUse:
    """Stands for the module named `name`: reading `proxy.attr` imports it (once; later reads
    find it in sys.modules) and answers its `attr`."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(self._module(), attr)

    def _module(self) -> ModuleType:
        return importlib.import_module(self._name)

    def __repr__(self) -> str:
        return f"<{self._name}, imported on first use>"
