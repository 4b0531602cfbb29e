"""What every API operation shares: the problem schema, ETags."""

from __future__ import annotations

import marshmallow as ma
from flask import Response, request
from marshmallow import fields

PROBLEM = "application/problem+json"


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String(required=True)
    errors = fields.Dict(metadata={"description": "What was wrong, field by field"})


def conditional_get(response: Response) -> Response:
    """A strong ETag on each successful read; `If-None-Match` with it answers 304."""
    if request.method in {"GET", "HEAD"} and response.status_code == 200:
        response.add_etag()
        response.headers["Cache-Control"] = "no-cache"
        response = response.make_conditional(request)
    return response
