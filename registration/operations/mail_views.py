"""Organiser pages: outbox per batch, dead letters with Resend, the local mailbox."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from registration.conferences.models import Conference
from registration.database import db
from registration.downloads import download
from registration.i18n import N_
from registration.mail import summary
from registration.mail.models import MailStatus
from registration.operations import outbox as outbox_operations
from registration.staff.access import protect, requires
from registration.staff.roles import Permission

bp = protect(Blueprint("mail", __name__, url_prefix="/manage"), Permission.ADMINISTER)


@bp.route("/mail/")
def outbox() -> ResponseReturnValue:
    return render_template(
        "mail/outbox.html",
        conference=None,
        summary=summary.outbox_summary(),
        dead=summary.dead_letters(),
        statuses=list(MailStatus),
    )


@bp.route("/conferences/<slug>/mail/")
@requires(Permission.EDIT)
def conference_outbox(slug: str) -> ResponseReturnValue:
    conference = db.first_or_404(db.select(Conference).filter_by(slug=slug))
    prefix = summary.conference_batch_prefix(conference.id)
    return render_template(
        "mail/outbox.html",
        conference=conference,
        summary=summary.outbox_summary(prefix),
        dead=summary.dead_letters(prefix),
        statuses=list(MailStatus),
    )


@bp.post("/mail/<int:outbox_id>/resend")
def resend(outbox_id: int) -> ResponseReturnValue:
    if outbox_operations.resend(outbox_id):
        flash(_("The message is queued again."), "success")
    else:
        flash(_("That message is no longer a dead letter."), "info")
    return redirect(url_for("mail.outbox"))


# --- The local mailbox (what the mail catcher of the default run received) ---------------


def _mailbox() -> Path:
    return Path(current_app.config["MAILBOX_FOLDER"])


def _message_file(name: str) -> Path:
    if "/" in name or "\\" in name or not name.endswith(".eml"):
        abort(404)
    path = _mailbox() / name
    if not path.is_file():
        abort(404, N_("No such message in the mailbox."))
    return path


def _read(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


@bp.route("/mailbox/")
def mailbox() -> ResponseReturnValue:
    folder = _mailbox()
    files = sorted(folder.glob("*.eml"), reverse=True)[:500] if folder.is_dir() else []
    messages = [(path.name, _read(path)) for path in files]
    return render_template("mail/mailbox.html", messages=messages, folder=folder)


@bp.route("/mailbox/<name>")
def mailbox_message(name: str) -> ResponseReturnValue:
    message = _read(_message_file(name))
    text = message.get_body(preferencelist=("plain",))
    calendar = _calendar_part(message)
    return render_template(
        "mail/message.html",
        name=name,
        message=message,
        text=text.get_content() if text else "",
        calendar=calendar.get_content() if calendar else None,
        method=calendar.get_param("method") if calendar else None,
    )


def _calendar_part(message: EmailMessage) -> EmailMessage | None:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part  # type: ignore[return-value]
    return None


@bp.route("/mailbox/<name>/download")
def mailbox_download(name: str) -> ResponseReturnValue:
    return send_file(
        _message_file(name), mimetype="message/rfc822", as_attachment=True, download_name=name
    )


@bp.route("/mailbox/<name>/invite.ics")
def mailbox_calendar(name: str) -> ResponseReturnValue:
    part = _calendar_part(_read(_message_file(name)))
    if part is None:
        abort(404, N_("This message has no calendar."))
    calendar = part.get_payload(decode=True)
    return download(calendar, "text/calendar", f"{name.removesuffix('.eml')}.ics")
