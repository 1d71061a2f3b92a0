from django.urls import path

from . import views

urlpatterns = [
    path("queue/", views.queue, name="moderation_queue"),
    path("queue/<int:post_id>/approve/", views.approve, name="moderation_approve"),
    path("queue/<int:post_id>/reject/", views.reject, name="moderation_reject"),
]
