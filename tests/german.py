"""Pages read by a member who chose German."""


def read_in_german(client, member, url: str) -> str:
    """`member` (signed in on `client`) chose German; the page as their browser gets it (the
    browser asks for English: the member's setting alone chooses)."""
    member.language = "de"
    member.save(update_fields=["language"])
    response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 200
    return response.content.decode()
