from django.urls import path

from . import views

urlpatterns = [
    path("queue/", views.queue, name="moderation_queue"),
    path("queue/<int:post_id>/approve/", views.approve, name="moderation_approve"),
    path("queue/<int:post_id>/reject/", views.reject, name="moderation_reject"),
    path("queue/<int:post_id>/reports/", views.resolve_reports, name="moderation_resolve_reports"),
    path(
        "queue/<int:post_id>/nominations/recommend/",
        views.recommend_nominated,
        name="moderation_recommend_nominated",
    ),
    path(
        "queue/<int:post_id>/nominations/dismiss/",
        views.dismiss_nominations,
        name="moderation_dismiss_nominations",
    ),
    path("log/", views.log, name="moderation_log"),
    path("t/<int:topic_id>/pin/", views.pin_topic, name="moderation_pin_topic"),
    path("t/<int:topic_id>/lock/", views.lock_topic, name="moderation_lock_topic"),
    path("t/<int:topic_id>/move/", views.move_topic, name="moderation_move_topic"),
    path("t/<int:topic_id>/merge/", views.merge_topic, name="moderation_merge_topic"),
    path("t/<int:topic_id>/posts/", views.selected_posts, name="moderation_selected_posts"),
    path("p/<int:post_id>/hide/", views.hide_post, name="moderation_hide_post"),
    path("p/<int:post_id>/delete/", views.delete_post, name="moderation_delete_post"),
    path("p/<int:post_id>/restore/", views.restore_post, name="moderation_restore_post"),
    path("p/<int:post_id>/report/", views.report_post, name="report_post"),
    path("p/<int:post_id>/warn/", views.warn_member, name="moderation_warn_member"),
    path("p/<int:post_id>/ban/", views.ban_member, name="moderation_ban_member"),
    path("p/<int:post_id>/suspend/", views.suspend_member, name="moderation_suspend_member"),
    path("u/<int:member_id>/", views.member, name="moderation_member"),
    path(
        "u/<int:member_id>/hide-posts/",
        views.hide_member_posts,
        name="moderation_hide_member_posts",
    ),
    path(
        "u/<int:member_id>/restore-posts/",
        views.restore_member_posts,
        name="moderation_restore_member_posts",
    ),
    path("warnings/", views.my_warnings, name="my_warnings"),
]
