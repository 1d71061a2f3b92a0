"""The site's URLs plus one view with a bug in it, for the 500 page test."""

from django.urls import path

from folkmoot.urls import handler500  # noqa: F401
from folkmoot.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", broken), *site_urlpatterns]
