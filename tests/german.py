"""Pages read by a member who chose German."""

from django.utils import translation


def read_in_german(client, member, url: str) -> str:
    """`member` (signed in on `client`) chose German; the page as their browser gets it.

    TODO(merge with i18n-core): the language middleware lives on that branch; once merged, drop
    the override: the member's setting alone must choose German."""
    member.language = "de"
    member.save(update_fields=["language"])
    with translation.override("de"):
        response = client.get(url, headers={"accept-language": "de"})
    assert response.status_code == 200
    return response.content.decode()
