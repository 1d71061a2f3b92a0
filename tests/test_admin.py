import re
import subprocess
import sys

from django.contrib import admin


def test_admin_lists_categories_members_topics_and_posts(client, admin_user, topic):
    client.force_login(admin_user)
    for section in ("forums/category", "accounts/user", "discussions/topic", "discussions/post"):
        assert client.get(f"/admin/{section}/").status_code == 200


def test_an_admin_page_s_stylesheets_and_scripts_load(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/").content.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="(/static/admin/[^"]+)"', page)
    scripts = re.findall(r'<script src="(/static/admin/[^"]+)"', page)
    assert "/static/admin/css/base.css" in stylesheets and scripts
    for url in stylesheets + scripts:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content)
        assert body and response["Content-Length"] == str(len(body))
    css = client.get("/static/admin/css/base.css")
    assert css["Content-Type"].startswith("text/css")
    assert b"body" in b"".join(css.streaming_content)
    assert client.get("/static/admin/css/missing.css").status_code == 404
    assert client.get("/static/admin/../folkmoot/site.css").status_code == 404


def test_editing_a_post_in_the_admin_re_renders_it_and_keeps_a_revision(client, admin_user, topic):
    post = topic.posts.get(number=1)
    client.force_login(admin_user)
    response = client.post(
        f"/admin/discussions/post/{post.pk}/change/",
        {
            "body": "Edited by an **admin**",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
            "revisions-MIN_NUM_FORMS": "0",
            "revisions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert "<strong>admin</strong>" in post.cooked
    assert post.revisions.get().body == "The first post of the topic."


def test_every_model_admin_passes_djangos_admin_checks():
    # The admin is found on first use (folkmoot/admin_urls.py), so `manage check` may run the
    # admin checks before anything registered: they run here on the whole admin.
    import folkmoot.admin_urls  # noqa: F401

    assert "discussions" in {model._meta.app_label for model in admin.site._registry}
    assert admin.site.check(None) == []


FIRST_USE = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "folkmoot.settings"
import django
django.setup()
from django.urls import resolve, reverse
resolve("/"), reverse("robots_txt")
print("before", "folkmoot.discussions.admin" in sys.modules)
resolve("/admin/login/")
print("after", "folkmoot.discussions.admin" in sys.modules, reverse("admin:index"))
"""


def test_a_process_loads_the_admin_on_its_first_admin_request_only(tmp_path):
    env = {"FOLKMOOT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", FIRST_USE], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["before", "False", "after", "True", "/admin/"]
