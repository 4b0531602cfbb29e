"""Every request has an id: the caller's `X-Request-ID` when it is a sane token (a proxy or
load balancer sets one), otherwise a new one. It is sent back in `X-Request-ID` and is in
every line the application logs while serving the request, so a user's report ("it failed
at 14:02") and a proxy's access log lead to the same lines. gunicorn's access log shows
it too (`gunicorn.conf.py`)."""

from __future__ import annotations

import logging
import re
import uuid

from flask import Flask, Response, g, has_request_context, request
from flask.logging import default_handler

HEADER = "X-Request-ID"
SANE = re.compile(r"[A-Za-z0-9._:@/+=-]{8,128}")
FORMAT = "[%(asctime)s] %(levelname)s %(name)s [request %(request_id)s]: %(message)s"


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on each record ('-' outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id() or "-"
        return True


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


_FILTER = RequestIdFilter()


def init_app(app: Flask) -> None:
    """Call first in the app factory: ids are assigned before any other hook may log."""
    app.before_request(_assign)
    app.after_request(_send_back)
    app.logger.addFilter(_FILTER)  # records logged on the app's logger
    if _FILTER not in default_handler.filters:  # and those of its children, when printed
        default_handler.addFilter(_FILTER)
        default_handler.setFormatter(logging.Formatter(FORMAT))


def _assign() -> None:
    sent = request.headers.get(HEADER, "")
    g.request_id = sent if SANE.fullmatch(sent) else uuid.uuid4().hex


def _send_back(response: Response) -> Response:
    if "request_id" in g:
        response.headers[HEADER] = g.request_id
    return response
