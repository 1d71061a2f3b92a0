"""The live server's only pages (FOLKMOOT_LIVE_SERVER=1 makes this the URL conf)."""

from django.http import HttpResponseNotFound, HttpResponseServerError
from django.urls import path

from . import views

urlpatterns = [
    path("live/t/<int:topic_id>/", views.topic_stream, name="live_topic"),
    path("live/bell/", views.bell_stream, name="live_bell"),
]


def _not_found(request, exception):
    """The site's 404 page links to pages this server does not have: a plain answer."""
    return HttpResponseNotFound("No such stream.", content_type="text/plain")


def _server_error(request):
    return HttpResponseServerError("Live updates failed.", content_type="text/plain")


handler404 = _not_found
handler500 = _server_error
