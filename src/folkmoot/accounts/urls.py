from django.urls import path

from . import views

urlpatterns = [
    # Ahead of allauth's own sign-up at the same address.
    path("accounts/signup/", views.signup, name="account_signup"),
    path("guests/challenge/", views.antibot_challenge, name="guest_challenge"),
    path("guests/finish/<str:token>/", views.finish_registering, name="guest_finish"),
    path("guests/posted/<int:post_id>/", views.guest_posted, name="guest_posted"),
]
