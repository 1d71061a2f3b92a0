from django.urls import path, re_path

from . import views

urlpatterns = [
    re_path(r"^drafts/(?P<place>(?:topic|category|post)-[0-9]{1,18})/$", views.draft, name="draft"),
    path("uploads/", views.upload, name="upload"),
]
