from django.urls import path, re_path

from . import views

# Slugs may hold any word characters (titles are not only ASCII).
TOPIC = r"^t/(?P<topic_id>\d+)(?:-(?P<slug>[-\w]*))?/"
CATEGORY = r"^c/(?P<category_id>\d+)(?:-(?P<slug>[-\w]*))?/"

urlpatterns = [
    path("", views.index, name="index"),
    re_path(CATEGORY + "$", views.category, name="category"),
    re_path(CATEGORY + "new/$", views.new_topic, name="new_topic"),
    re_path(TOPIC + "$", views.topic, name="topic"),
    re_path(TOPIC + "reply/$", views.reply, name="reply"),
    path("p/<int:post_id>/", views.post_permalink, name="post_permalink"),
    path("p/<int:post_id>/edit/", views.edit_post, name="edit_post"),
    path("p/<int:post_id>/revisions/", views.post_revisions, name="post_revisions"),
    path("p/<int:post_id>/delete/", views.delete_post, name="delete_post"),
]
