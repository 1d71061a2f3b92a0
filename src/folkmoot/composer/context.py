"""What a page tells the editor: limits, where drafts and uploads go."""

from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from . import policy


@dataclass(frozen=True)
class ComposerConfig:
    draft_key: str
    draft_url: str | None
    can_upload: bool
    upload_url: str | None
    emoji_max: int
    script_url: str
    style_url: str
    mention_url: str  # the members lookup behind the @mention autocomplete (people app)


def composer_config(request, *, place: str) -> ComposerConfig:
    """`place` names what is being written: topic-<id>, category-<id> or post-<id>."""
    user = request.user
    who = f"user-{user.pk}" if user.is_authenticated else "guest"
    can_upload = policy.can_upload(user)
    return ComposerConfig(
        draft_key=f"folkmoot:draft:{request.get_host()}:{place}:{who}",
        draft_url=reverse("draft", args=[place]) if user.is_authenticated else None,
        can_upload=can_upload,
        upload_url=reverse("upload") if can_upload else None,
        emoji_max=settings.FOLKMOOT["EMOJI_MAX"],
        script_url=static("folkmoot/composer/composer.js"),
        style_url=static("folkmoot/composer/composer.css"),
        mention_url=reverse("member_lookup"),
    )
