import logging

from folkmoot.refusal import Refusal

from .classify import classify, raised_after_commit
from .refusals import refusal_response
from .views import fault_response

logger = logging.getLogger(__name__)


class FaultMiddleware:
    """A view that hit a fault of the machine (database locked, read-only or full, unreachable)
    answers 503 with Retry-After on the designed page, keeping the user's text (or, if the
    write was committed before the fault, says it was saved). Anything else is a bug and goes
    on to handler500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Refusal):  # a refusal no view answered with its own form
            return refusal_response(request, exception)
        fault = classify(exception)
        if fault is None:
            return None
        logger.warning(
            "%s %s: %s (%s)",
            request.method,
            request.path,
            fault.kind,
            exception,
            exc_info=exception,
        )
        return fault_response(request, fault, committed=raised_after_commit(exception))
