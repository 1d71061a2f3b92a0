from django.urls import path

from . import views

urlpatterns = [
    path("u/<str:username>/", views.profile, name="profile"),
    path("u/<str:username>/card/", views.user_card, name="user_card"),
    path("u/<str:username>/ignore/", views.ignore, name="ignore_member"),
    path("members/lookup/", views.member_lookup, name="member_lookup"),
    path("settings/", views.account_settings, name="account_settings"),
    path("settings/theme/", views.theme, name="theme_setting"),
    path("settings/avatar/", views.avatar_settings, name="avatar_settings"),
]
