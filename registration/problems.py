"""RFC 9457 problem details: how every error under /api/ is answered."""

from __future__ import annotations

from typing import Any

from flask import Response, json, request
from werkzeug.http import HTTP_STATUS_CODES

API_PREFIX = "/api/"
PROBLEM_TYPE = "about:blank"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem(
    status: int,
    detail: str,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> Response:
    """An `application/problem+json` answer: type, title, status, detail, instance and any
    extension members (such as `errors` per field)."""
    body = {
        "type": PROBLEM_TYPE,
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
        **extensions,
    }
    response = Response(
        json.dumps(body), status=status, mimetype="application/problem+json", headers=headers
    )
    return response


def refusal(status: int, reason: str, headers: dict[str, str] | None = None) -> Response:
    """A problem+json answer of the management pages' JSON endpoints (check-in); `reason`
    repeats `detail` for the page scripts that show it."""
    return problem(status, reason, headers, reason=reason)
