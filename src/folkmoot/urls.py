from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from folkmoot.composer.views import serve_upload

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("folkmoot.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("folkmoot.composer.urls")),
    path("mod/", include("folkmoot.moderation.urls")),
    path("", include("folkmoot.discussions.urls")),
    # Uploaded files; a deployment at scale serves these from object storage instead.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_upload),
]
