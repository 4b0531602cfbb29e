"""The public join link: records the join and sends the participant to the meeting."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request
from flask.typing import ResponseReturnValue

from registration.attendance.errors import (
    AttendanceError,
    LinkExpiredError,
    MalformedError,
    NotAdmittedError,
    NotFoundError,
    PanelCancelledError,
)
from registration.attendance.join_links import record_join

public = Blueprint("attendance_public", __name__)
STATUS = {
    MalformedError: 400,
    NotFoundError: 404,
    NotAdmittedError: 403,
    PanelCancelledError: 410,
    LinkExpiredError: 410,
}


@public.route("/j/<token>")
def join(token: str) -> ResponseReturnValue:
    try:
        url = record_join(token, record=request.method == "GET")
    except AttendanceError as refusal:
        status = STATUS.get(type(refusal), 404)
        return render_template("error.html", code=status, message=refusal.reason), status
    response = redirect(url, code=302)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
