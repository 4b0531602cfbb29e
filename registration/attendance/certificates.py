"""Certificates of attendance, sent by e-mail to the people who attended: a job expands into
one outbox intent per person; the worker that sends each one builds its PDF."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from sqlalchemy import func

from registration.attendance.models import AttendanceRecord
from registration.conferences.models import Conference
from registration.database import db
from registration.i18n import in_language
from registration.jobs import services as jobs
from registration.mail.compose import Attachment, Mail
from registration.mail.composers import composes
from registration.mail.models import OutgoingMail
from registration.mail.outbox import queue_intent
from registration.mail.summary import conference_batch_prefix
from registration.signup.models import Registration

CERTIFICATE = "attendance.certificate"


def certificate_key(registration_id: int) -> str:
    return f"attendance-certificate:{registration_id}"


def _had_certificate(registration_id: int) -> bool:
    key = certificate_key(registration_id)
    return (
        db.session.scalar(
            db.select(OutgoingMail.id)
            .where(
                (OutgoingMail.idempotency_key == key)
                | OutgoingMail.idempotency_key.startswith(f"{key}:", autoescape=True)
            )
            .limit(1)
        )
        is not None
    )


def queue_certificate(
    registration_id: int, request_key: str | None = None, batch: str | None = None
) -> bool:
    """Put a certificate mail's intent in the outbox for one attendee (the worker that sends
    it composes it, PDF included: `certificate_mail`); False if not due or sent; commits.

    Without `request_key` (the bulk send) once per attendee ever; an organiser's request for
    one person (`request_key` names it) sends again each time, once per request.
    """
    registration = db.session.get(Registration, registration_id)
    if registration is None or (request_key is None and _had_certificate(registration_id)):
        return False
    attended = db.select(AttendanceRecord.id).filter_by(registration_id=registration_id)
    if db.session.scalar(attended.limit(1)) is None:
        return False
    key = certificate_key(registration_id) + (f":{request_key}" if request_key else "")
    row = queue_intent(
        CERTIFICATE,
        {"registration": registration_id},
        key=key,
        recipient=registration.email,
        batch=batch or f"certificates:{registration.conference_id}",
    )
    db.session.commit()
    return row is not None


@composes(CERTIFICATE)
def certificate_mail(intent: dict[str, Any]) -> Mail | None:
    """The certificate of an intent {registration}, in the attendee's mail language, with
    the PDF built from their attendance as it is now (nothing if they have none any more)."""
    from registration.attendance.documents import (
        ParticipantLine,
        certificate_lines,
        certificate_pdf,
    )

    registration = db.session.get(Registration, intent["registration"])
    if registration is None:
        return None
    records = db.session.scalars(
        db.select(AttendanceRecord).filter_by(registration_id=registration.id)
    ).all()
    if not records:
        return None
    conference = registration.conference
    attended = ParticipantLine(registration, list(records))
    with in_language(registration.mail_language) as language:
        title = conference.text_in("title", language)
        subject = gettext("Certificate of attendance — %(title)s", title=title)
        text = "\n\n".join(
            (
                gettext("Dear %(name)s,", name=registration.name),
                gettext(
                    "Thank you for taking part in the %(title)s. Your certificate of "
                    "attendance is attached.",
                    title=title,
                ),
                gettext("CICA Secretariat"),
                # The certificate's own words: the PDF is not tagged; this text is its
                # accessible version.
                "* * *\n" + "\n".join(text for text, _, _ in certificate_lines(attended, language)),
            )
        )
        text += "\n"
    return Mail(
        to=registration.email,
        subject=subject,
        text=text,
        attachments=[
            Attachment(
                filename=f"certificate-{conference.slug}-{registration.id}.pdf",
                content=certificate_pdf(attended),
                maintype="application",
                subtype="pdf",
            )
        ],
    )


def attendee_ids(conference_id: int) -> list[int]:
    """Registrations of the conference with any attendance, by id."""
    return list(
        db.session.scalars(
            db.select(AttendanceRecord.registration_id)
            .filter_by(conference_id=conference_id)
            .distinct()
            .order_by(AttendanceRecord.registration_id)
        )
    )


CERTIFICATES = "attendance.certificates"


def start_certificates(
    conference: Conference, registration_id: int | None = None, request_key: str | None = None
) -> str:
    """One job that mails certificates: to one participant (once per `request_key`, an
    organiser's click) or to every attendee (once each ever); commits, returns its id."""
    who = "every attendee" if registration_id is None else "one participant"
    job = jobs.start(
        CERTIFICATES,
        f"Certificates of attendance to {who}: {conference.title}",
        conference_id=conference.id,
        registration_ids=None if registration_id is None else [registration_id],
        request_key=request_key,
    )
    db.session.commit()
    return job.id


def certificate_progress(conference_id: int) -> dict[str, int]:
    """Certificate mails of a conference by outbox status (single requests and jobs)."""
    of_jobs = f"{conference_batch_prefix(conference_id)}{CERTIFICATES.replace('.', '-')}-"
    rows = db.session.execute(
        db.select(OutgoingMail.status, func.count())
        .where(
            (OutgoingMail.batch == f"certificates:{conference_id}")
            | OutgoingMail.batch.startswith(of_jobs, autoescape=True)
        )
        .group_by(OutgoingMail.status)
    )
    return {status.value: count for status, count in rows}
