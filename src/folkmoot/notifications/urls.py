from django.urls import path

from . import views

urlpatterns = [
    path("follow/<str:what>/<int:pk>/", views.follow, name="follow"),
    path("followed/", views.followed, name="followed"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.mark_all_read, name="notifications_read_all"),
    path(
        "notifications/<int:notification_id>/open/",
        views.open_notification,
        name="open_notification",
    ),
    path("t/<int:topic_id>/read/", views.read_topic, name="read_topic"),
    path("t/<int:topic_id>/unread/", views.first_unread, name="first_unread"),
    path("unread/read-all/", views.mark_all_topics_read, name="mark_all_topics_read"),
    path("notifications/settings/", views.preferences, name="notification_preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "unsubscribe/<str:token>/one-click/",
        views.unsubscribe_one_click,
        name="unsubscribe_one_click",
    ),
]
