"""One helper for the access log of a read: every read of a young person's record is logged."""

from __future__ import annotations

from .http import KaaRequest
from .models import AccessLog, Youth
from .services import access_log_record


def access_log_read(
    request: KaaRequest, youth: Youth, action: str = AccessLog.Action.VIEW_PAGE
) -> None:
    """Log that the request's user read ``youth``'s record (a page by default; API_READ, PRINT…).

    Pages and API endpoints of every app call this, so who read what is
    recorded the same way everywhere (with the client address, never the
    personnummer).
    """
    access_log_record(user=request.user, youth=youth, action=action, request=request)
