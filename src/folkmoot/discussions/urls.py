from django.urls import path, re_path
from django.views.decorators.http import require_safe

from . import feeds, views

# Slugs may hold any word characters (titles are not only ASCII).
TOPIC = r"^t/(?P<topic_id>\d+)(?:-(?P<slug>[-\w]*))?/"
CATEGORY = r"^c/(?P<category_id>\d+)(?:-(?P<slug>[-\w]*))?/"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed.rss", require_safe(feeds.LatestTopicsFeed()), name="site_rss"),
    path("feed.atom", require_safe(feeds.LatestTopicsAtomFeed()), name="site_atom"),
    re_path(CATEGORY + "$", views.category, name="category"),
    re_path(
        CATEGORY + r"feed\.rss$", require_safe(feeds.CategoryTopicsFeed()), name="category_rss"
    ),
    re_path(
        CATEGORY + r"feed\.atom$",
        require_safe(feeds.CategoryTopicsAtomFeed()),
        name="category_atom",
    ),
    re_path(TOPIC + "$", views.topic, name="topic"),
    re_path(TOPIC + r"feed\.rss$", require_safe(feeds.TopicPostsFeed()), name="topic_rss"),
    re_path(TOPIC + r"feed\.atom$", require_safe(feeds.TopicPostsAtomFeed()), name="topic_atom"),
    path("t/<int:topic_id>/new-posts/", views.new_posts, name="new_posts"),
    path("p/<int:post_id>/", views.post_permalink, name="post_permalink"),
    path("oembed", views.oembed, name="oembed"),
    path("share/mastodon/", views.share_mastodon, name="share_mastodon"),
    path("p/<int:post_id>/edit/", views.edit_post, name="edit_post"),
    path("p/<int:post_id>/revisions/", views.post_revisions, name="post_revisions"),
    path("p/<int:post_id>/react/", views.react, name="react"),
    path("p/<int:post_id>/quote/", views.post_quote, name="post_quote"),
    path("p/<int:post_id>/reactions/", views.post_reactions, name="post_reactions"),
    path("p/<int:post_id>/recommend/", views.recommend_post, name="recommend_post"),
    path("p/<int:post_id>/nominate/", views.nominate_post, name="nominate_post"),
    path(
        "p/<int:post_id>/unrecommend/",
        views.remove_recommendation,
        name="remove_recommendation",
    ),
]
