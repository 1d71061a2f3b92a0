import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "folkmoot.settings")
django_application = get_wsgi_application()

from folkmoot.discussions.page_cache import CachedPagesFirst  # noqa: E402 (needs settings)

application = CachedPagesFirst(django_application)
