"""WhiteNoise, keeping the site's own static files in its table and looking the admin's up.

WhiteNoise reads every collected file's headers into a table when a web worker starts. ~130
of the ~150 are the admin's (its styles, scripts, icons and select2's translations), which only
staff pages load: ~0.5 MiB in each web worker (BENCHMARKS.md "Memory"). They are looked up
when asked instead, the way WhiteNoise does in its autorefresh mode: a file in the collected
directory (or, without it, one Django's finders find), checked to stay inside it, served with
the same headers as before.
"""

import os

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def __init__(self, get_response=None, settings=settings):
        super().__init__(get_response, settings=settings)
        if not self.autorefresh and self.static_root:
            # Where find_file looks (its autorefresh mode lists the directories the same way).
            root = os.path.join(os.path.abspath(self.static_root), "")
            self.directories.append((root, self.static_prefix))

    @property
    def looked_up_prefix(self) -> str:
        # WhiteNoise sets static_prefix before it reads the files.
        return self.static_prefix + "admin/"

    def add_file_to_dictionary(self, url, path, stat_cache=None):
        if not url.startswith(self.looked_up_prefix):
            super().add_file_to_dictionary(url, path, stat_cache=stat_cache)

    def __call__(self, request):
        if not self.autorefresh and request.path_info.startswith(self.looked_up_prefix):
            static_file = self.find_file(request.path_info)
            if static_file is not None:
                return self.serve(static_file, request)
        return super().__call__(request)
