"""The one way a service says no to a person: what to tell them, the HTTP status, and when to
try again. Views never map exceptions to answers by hand; `folkmoot.refusal_response` does.

Form errors (a field left empty, a title too long) stay Django ValidationErrors, shown beside
their field; a Refusal is the answer to the whole request (a rate limit, a ban, a hold)."""


class Refusal(Exception):
    status = 400

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: int | None = None,
        field: str | None = None,
        code: str = "",
    ):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.retry_after = retry_after
        # The form field the refusal is about (shown there), or None for above the form.
        self.field = field
        self.code = code

    @property
    def messages(self) -> list[str]:
        return [self.message]


class NotFound(Refusal):
    """What a person may not see or touch is a 404, not a 403: it does not say it exists."""

    status = 404


class TooMany(Refusal):
    """A rate limit was hit."""

    status = 429
