"""What a failed call raises: one ``TradaiError``, specialised by the problem the server answered.

The server answers every failure with ``application/problem+json`` (RFC 9457): a stable ``type``
URI, a title, a detail, and for bad input one entry per offending field. Each becomes a typed
exception, so a caller branches on the class, never on message text::

    try:
        api.activate("StochRsi", "v3-1a2b3c4d", environment="prod")
    except ApprovalRequired as waiting:
        print("needs approval:", waiting.change_request["id"])
    except Frozen as frozen:
        print("prod is frozen:", frozen.detail)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

__all__ = [
    "ApprovalRequired",
    "Conflict",
    "FieldError",
    "Forbidden",
    "Frozen",
    "NotFound",
    "PreconditionFailed",
    "ServerError",
    "TooManyRequests",
    "TradaiError",
    "Unauthenticated",
    "Unavailable",
    "Unreachable",
    "ValidationError",
    "problem_error",
]

PROBLEM = "urn:tradai:problem:"


@dataclass(frozen=True)
class FieldError:
    """One offending field: ``field`` is its dotted path, e.g. ``config_data.risk.stoploss``."""

    field: str
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class TradaiError(Exception):
    """Every error of this library. ``status`` is the HTTP status (0: no answer)."""

    def __init__(
        self,
        title: str,
        detail: str,
        *,
        status: int = 0,
        type: str = "about:blank",
        request_id: str | None = None,
        retry_after: float | None = None,
        problem: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{title}: {detail}" if detail else title)
        self.title = title
        self.detail = detail
        self.status = status
        self.type = type
        self.request_id = request_id
        #: seconds, from the server's Retry-After header
        self.retry_after = retry_after
        #: the problem+json body as the server sent it
        self.problem: Mapping[str, Any] = problem or {}


class ValidationError(TradaiError):
    """400/422: the input was refused; ``errors`` names each offending field."""

    @property
    def errors(self) -> list[FieldError]:
        return [
            FieldError(str(e.get("field", "")), str(e.get("location", "body")), str(e.get("message", "")))
            for e in self.problem.get("errors") or []
        ]

    def __str__(self) -> str:
        fields = "; ".join(str(e) for e in self.errors)
        return f"{super().__str__()} ({fields})" if fields else super().__str__()


class Unauthenticated(TradaiError):
    """401: no credentials, or wrong ones."""


class Forbidden(TradaiError):
    """403: the credential may not do this."""


class NotFound(TradaiError):
    """404."""


class Conflict(TradaiError):
    """409: the state does not allow it (e.g. the idempotency key is in use, a stale change request)."""


class PreconditionFailed(TradaiError):
    """412: another version became active meanwhile (``expected_active`` did not match)."""


class Frozen(TradaiError):
    """423: the environment is in a freeze window."""


class TooManyRequests(TradaiError):
    """429."""


class ServerError(TradaiError):
    """500 and other unexpected answers."""


class Unavailable(TradaiError):
    """503: the database is away or the server is shutting down; ``retry_after`` says when to try again."""


class Unreachable(TradaiError):
    """No answer at all: the server is down, the URL is wrong, or the call timed out."""


class ApprovalRequired(TradaiError):
    """202: the change was not applied; it became a change request that waits for approval.

    ``change_request`` is the request (``id``, ``status``, ``approvals_required``, ...); ``created`` is
    False when an identical pending request already existed.
    """

    def __init__(self, change_request: Mapping[str, Any], created: bool) -> None:
        number = change_request.get("id", "?")
        super().__init__(
            "Approval required",
            f"change request #{number} waits for approval; nothing was applied",
            status=202,
            type=f"{PROBLEM}approval-required",
        )
        self.change_request = dict(change_request)
        self.created = created


_BY_STATUS: dict[int, type[TradaiError]] = {
    400: ValidationError,
    401: Unauthenticated,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
    413: ValidationError,
    415: ValidationError,
    422: ValidationError,
    423: Frozen,
    429: TooManyRequests,
    503: Unavailable,
}


def problem_error(status: int, body: Mapping[str, Any] | None, text: str, retry_after: float | None) -> TradaiError:
    """The exception for an error answer (problem+json, or whatever a proxy sent instead)."""
    body = body or {}
    kind = _BY_STATUS.get(status, ServerError if status >= 500 else TradaiError)
    return kind(
        str(body.get("title") or f"HTTP {status}"),
        str(body.get("detail") or text[:500] or f"HTTP {status}"),
        status=status,
        type=str(body.get("type") or "about:blank"),
        request_id=body.get("request_id"),
        retry_after=retry_after,
        problem=body,
    )
