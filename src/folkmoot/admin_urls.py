"""The admin's URLs, imported on first use (folkmoot/urls.py): finding every app's admin
module and building the admin's URL patterns waits for the first admin page."""

from django.contrib import admin

admin.autodiscover()
urlpatterns = admin.site.get_urls()
