from django.urls import path, re_path

from folkmoot.discussions.urls import CATEGORY, TOPIC

from . import views

urlpatterns = [
    # The topic page's reply box, for members (handed on to discussions) and guests.
    re_path(TOPIC + "reply/$", views.reply, name="reply"),
    # The category's "Start new topic", for members (handed on to discussions) and guests.
    re_path(CATEGORY + "new/$", views.new_topic, name="new_topic"),
    # Ahead of allauth's own sign-up and sign-in at the same addresses.
    path("accounts/signup/", views.signup, name="account_signup"),
    path("accounts/login/", views.login, name="account_login"),
    path("accounts/waiting-posts/", views.waiting_posts, name="waiting_posts"),
    path("accounts/waiting-posts/publish/", views.publish_waiting, name="publish_waiting"),
    path("accounts/waiting-posts/discard/", views.discard_waiting, name="discard_waiting"),
    path("guests/challenge/", views.antibot_challenge, name="guest_challenge"),
    path("guests/finish/<str:token>/", views.finish_registering, name="guest_finish"),
    path("guests/posted/<int:post_id>/", views.guest_posted, name="guest_posted"),
]
