"""The floor under bench/memory.py: the same process layout (Granian with 2 WSGI workers, plus
one process holding `django.setup()` as the task worker does) running a bare Django project
(contenttypes, auth, sessions; one view rendering a template), after 10,000 requests.

    uv run python bench/memory_floor.py [--requests 10000]
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# memory.py's helpers, so both scripts count processes alike.
from memory import drive, free_port, report, snapshot, stop, wait_until_up

PROJECT = {
    "floor_settings.py": """
SECRET_KEY = "floor" * 10
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "floor_urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "floor.sqlite3"}}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates"}]
USE_TZ = True
""",
    "floor_urls.py": """
from django.http import HttpResponse
from django.template import engines
from django.urls import path

PAGE = engines["django"].from_string("{% for i in items %}<p>{{ i }}</p>{% endfor %}")

def index(request):
    return HttpResponse(PAGE.render({"items": range(50)}, request))

urlpatterns = [path("", index)]
""",
    "floor_wsgi.py": """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "floor_settings")
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
""",
    "floor_serve.py": """
import sys
from granian import Granian
from granian.constants import Interfaces
Granian("floor_wsgi:application", address="127.0.0.1", port=int(sys.argv[1]), workers=2,
        interface=Interfaces.WSGI, blocking_threads=4, websockets=False).serve()
""",
    "floor_worker.py": """
import os, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "floor_settings")
import django
django.setup()
from django.contrib.auth.models import User
User.objects.count()
time.sleep(3600)
""",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="folkmoot-memory-floor-"))
    for name, text in PROJECT.items():
        (folder / name).write_text(text)
    env = {**os.environ, "PYTHONPATH": str(folder), "DJANGO_SETTINGS_MODULE": "floor_settings"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    migrate = "import django; django.setup(); from django.core.management import call_command; "
    migrate += "call_command('migrate', verbosity=0)"
    subprocess.run([sys.executable, "-c", migrate], env=env, cwd=folder, check=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "floor_serve.py", str(port)], env=env, cwd=folder)
    worker = subprocess.Popen([sys.executable, "floor_worker.py"], env=env, cwd=folder)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", server)
        drive(f"http://127.0.0.1:{port}", ["/"], args.requests, 8)
        roots = {"serve": server.pid, "worker": worker.pid}
        report(f"bare Django, after {args.requests:,} requests", snapshot(roots))
    finally:
        stop(server, worker)


if __name__ == "__main__":
    main()
