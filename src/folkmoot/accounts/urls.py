from django.urls import path

from . import views

urlpatterns = [
    # Ahead of allauth's own sign-up and sign-in at the same addresses.
    path("accounts/signup/", views.signup, name="account_signup"),
    path("accounts/login/", views.login, name="account_login"),
    path("guests/challenge/", views.antibot_challenge, name="guest_challenge"),
    path("guests/finish/<str:token>/", views.finish_registering, name="guest_finish"),
    path("guests/posted/<int:post_id>/", views.guest_posted, name="guest_posted"),
]
