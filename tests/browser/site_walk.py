"""The service filled with demo data, and a real address for every page it serves.

`fill_site` loads the demo conferences and does through HTTP what fills the management pages
(a focal point, invitations, a check-in, a dead letter, a message in the local mailbox).
`pages` walks `app.url_map`, so pages that other capabilities add later are visited without
touching this file, as long as their route arguments have names it knows (`ROUTE_VALUES`); a
route with an argument it does not know fails the walk, saying which.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from registration import files
from registration.accounts.models import User
from registration.accounts.services import set_password
from registration.calendars.services import feed_key
from registration.conferences.models import Conference
from registration.correspondence.dispatch_models import Dispatch
from registration.correspondence.models import NoteVerbale, NumberingScheme, RegisterEntry
from registration.database import db
from registration.delegates.models import LetterStatus, VisaLetter
from registration.delegates.person import person_token
from registration.directory.models import Contact, Institution
from registration.documents.models import Document
from registration.invitations.models import Invitation
from registration.jobs import services as jobs
from registration.mail.models import MailStatus, OutgoingMail
from registration.signed_tokens import join_token
from registration.signup import answers
from registration.signup.demo import SERIES_SLUG, SLUG
from registration.signup.focal_points import password_token
from registration.signup.links import manage_token
from registration.signup.models import (
    AttendanceMode,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from registration.webhooks.models import WebhookSubscription
from tests.conftest import PASSWORD
from tests.delegate_support import PDF
from tests.routes import methods
from tests.signup_support import member_id

ORGANISER = "organiser@cica.example"
CAUGHT_MAIL = "20311201-090000-walk.eml"  # put into the local mailbox, removed by `tidy`
CLOSED = "cica-ttf-9"  # a demo meeting of 2021: its registration page says it is closed
ZOOM_REPORT = Path(__file__).parent.parent / "data" / "zoom_participants.csv"
FOCAL_POINT = "focal.point@mfa.kz.example"
HTML = "text/html"


class UnknownRouteArgumentError(LookupError):
    """A route has an argument the walk has no value for."""


@dataclass(frozen=True)
class Page:
    """A page to visit: its address and who may see it (None: anybody)."""

    url: str
    user: str | None
    status: int = 200


@dataclass(frozen=True)
class Site:
    """Values for route arguments: by (endpoint, argument) first, then by argument alone."""

    by_endpoint: dict[tuple[str, str], str]
    by_argument: dict[str, str]

    def value(self, rule: Rule, argument: str) -> list[str]:
        """Every value to try for `argument` of `rule` (each choice of an `any(...)`)."""
        converter = rule._converters[argument]
        if type(converter).__name__ == "AnyConverter":
            return sorted(converter.items)  # type: ignore[attr-defined]
        if (rule.endpoint, argument) in self.by_endpoint:
            return [self.by_endpoint[rule.endpoint, argument]]
        if argument == "slug" and "/series/" in rule.rule:
            return [SERIES_SLUG]
        if argument in self.by_argument:
            return [self.by_argument[argument]]
        raise UnknownRouteArgumentError(
            f"{rule.rule} ({rule.endpoint}): the accessibility walk has no value for "
            f"'{argument}'; add one in tests/browser/site_walk.py (fill_site)"
        )


def user_for(rule: Rule) -> str | None:
    """Who reaches the page: organisers the management pages and their own account's, the
    focal point their own."""
    if rule.rule.startswith("/manage") or rule.endpoint.startswith("own_account."):
        return ORGANISER
    if rule.rule.startswith("/delegation"):
        return FOCAL_POINT
    if rule.rule.startswith("/account/tokens"):
        return ORGANISER
    if rule.endpoint == "note_text.text":  # the demo note is for focal points of a past meeting
        return ORGANISER
    return None


# Routes that are not pages for people: files, /metrics (a 404 without the scraper's token),
# and the single sign-on redirects to and from the identity provider.
NOT_PAGES = {
    "static",
    "metrics",
    "accounts.single_sign_on_start",
    "accounts.single_sign_on_done",
}
# The API answers programs (JSON, tokens); its documentation page is a page like any other.
API_PAGES = {"api_docs.page"}


def urls(site: Site, app: Flask) -> Iterator[tuple[Rule, str]]:
    """An address for every GET route with each of its argument values."""
    adapter = app.url_map.bind("localhost")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in NOT_PAGES or "GET" not in methods(rule):
            continue
        if rule.rule.startswith("/api/") and rule.endpoint not in API_PAGES:
            continue
        choices: list[dict[str, str]] = [{}]
        for argument in sorted(rule.arguments):
            choices = [
                {**chosen, argument: value}
                for chosen in choices
                for value in site.value(rule, argument)
            ]
        for values in choices:
            yield rule, adapter.build(rule.endpoint, values)


def pages(site: Site, app: Flask) -> list[Page]:
    """Every HTML page of the app (downloads, feeds and redirects left out), each asked for
    once with the test client as the user who may see it: one that fails is an error here."""
    clients = {None: app.test_client()}
    for email in (ORGANISER, FOCAL_POINT):
        clients[email] = signed_in(app, email)
    found, failed = [], []
    for rule, url in urls(site, app):
        user = user_for(rule)
        response = clients[user].get(url)
        if response.status_code >= 400:
            failed.append(f"GET {url} as {user or 'a visitor'}: {response.status_code}")
        elif response.status_code == 200 and response.mimetype == HTML:
            found.append(Page(url, user))
    assert not failed, "the walk's route values do not reach these pages:\n" + "\n".join(failed)
    return [
        *found,
        Page(f"/conferences/{CLOSED}/register", None),  # registration closed: its own page
        Page("/conferences/no-such-conference", None, status=404),  # the error page
    ]


def import_preview(tab: Any, site: Site) -> None:
    """Uploads a Zoom report for a session: the preview is a page no GET reaches."""
    panel = site.by_argument["panel_id"]
    tab.goto(f"/manage/conferences/{SLUG}/attendance/panels/{panel}/import")
    tab.locator("#report").set_input_files(ZOOM_REPORT)
    with tab.expect_navigation():
        tab.locator("#import-preview").click()
    assert tab.locator("#import-summary").is_visible(), tab.url


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/account/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client


def fill_site(app: Flask) -> Site:
    """The demo data plus what fills the management pages; returns the route values."""
    result = app.test_cli_runner().invoke(
        args=["seed-demo", "--organizer", ORGANISER, "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    organiser = signed_in(app, ORGANISER)
    added = organiser.post(
        f"/manage/conferences/{SLUG}/registration/focal-points",
        data={"email": FOCAL_POINT, "name": "Daniyar Focal", "member": member_id(app, "KAZ")},
    )
    assert added.status_code == 302, added.text
    invited = organiser.post(
        f"/manage/conferences/{SLUG}/invitations/list",
        data={"list-people": "Invited Expert, invited.expert@example.org, KAZ, participant"},
    )
    assert invited.status_code == 302, invited.text
    batch_id = invited.headers["Location"].rstrip("/").rpartition("/")[2]
    _a_register_entry(app, organiser)
    with app.app_context():
        delegate = _in_person_delegate()
        panel = delegate.panels[0]
        panel.conference.online_url = "https://meet.example.org/ttf-10"
        focal_user = db.session.scalar(db.select(User).filter_by(email=FOCAL_POINT))
        assert focal_user is not None
        set_password(focal_user, PASSWORD)
        db.session.commit()
        invitation = db.session.scalar(db.select(Invitation))
        assert invitation is not None
        file_question = _a_file_answer(delegate)
        letter = _an_issued_letter()
        values = Site(
            by_endpoint={
                ("signup.focal_point_password", "token"): password_token(focal_user),
                ("accounts.choose_password", "token"): password_token(focal_user),
                ("invitation_answers.decline", "token"): invitation.token,
                ("attendance_public.join", "token"): join_token(delegate.id, panel.id),
                ("delegates.letter_download", "token"): manage_token(letter.registration),
                ("person.page", "token"): person_token(delegate.email),
                ("note_text.text", "file_id"): _note_file(),
            },
            by_argument={
                "slug": SLUG,
                "panel_id": str(panel.id),
                "registration_id": str(delegate.id),
                "token": manage_token(delegate),
                "key": feed_key(delegate),
                "job_id": batch_id,
                "question_id": str(file_question),
                "letter_id": str(letter.id),
                "code": letter.code,
                "name": _mail_in_mailbox(Path(app.config["MAILBOX_FOLDER"])),
                "subscription_id": str(db.session.scalar(db.select(WebhookSubscription.id))),
                "institution_id": str(
                    db.session.scalar(db.select(Institution.id).order_by(Institution.id))
                ),
                **_document_values(),
            },
        )
        _a_dead_letter()
        delegate_id = delegate.id
    scan = {"client_id": uuid.uuid4().hex, "registration_id": delegate_id, "day": _first_day(app)}
    checked_in = organiser.post(f"/manage/conferences/{SLUG}/checkin/api/scan", json=scan)
    assert checked_in.status_code == 200, checked_in.text
    bulk_id = _a_bulk_message(app, delegate_id)
    values.by_endpoint["jobs.download_file", "job_id"] = _a_badges_pdf(app, organiser)
    for endpoint in ("signup_manage", "delegation"):
        for page in ("bulk_result", "bulk_progress"):
            values.by_endpoint[f"{endpoint}.{page}", "job_id"] = bulk_id
    return values


def _a_bulk_message(app: Flask, registration_id: int) -> str:
    """The focal point writes to a delegate of theirs (a bulk job, run); returns its id."""
    focal = signed_in(app, FOCAL_POINT)
    data = {"scope": "selected", "action": "write", "registration": str(registration_id),
            "message_subject": "Visas", "body": "Bring your passport."}  # fmt: skip
    wrote = focal.post(f"/delegation/{SLUG}/", data=data)
    assert wrote.status_code == 303, wrote.text
    job_id = wrote.headers["Location"].rpartition("/")[2]
    with app.app_context():
        jobs.run(job_id)
    return job_id


def _a_badges_pdf(app: Flask, organiser: FlaskClient) -> str:
    """The organiser asks for the badges PDF (a job, run); returns its id."""
    asked = organiser.post(f"/manage/conferences/{SLUG}/badges.pdf")
    assert asked.status_code == 302, asked.text
    job_id = asked.headers["Location"].rpartition("/")[2]
    with app.app_context():
        jobs.run(job_id)
    return job_id


def _a_register_entry(app: Flask, organiser: FlaskClient) -> None:
    """A letter numbered in the demo scheme (its number can then be cancelled)."""
    with app.app_context():
        scheme_id = db.session.scalar(db.select(NumberingScheme.id).filter_by(code="TTF"))
    numbered = organiser.post(f"/manage/register/{scheme_id}", data={"subject": "A walk letter"})
    assert numbered.status_code == 302, numbered.text


def _document_values() -> dict[str, str]:
    """A demo document (the issued public summary) and its English version; the register."""
    document = db.session.scalar(db.select(Document).order_by(Document.id))
    assert document is not None
    english = document.file("en")
    assert english is not None
    entry = db.session.scalar(db.select(RegisterEntry).order_by(RegisterEntry.id.desc()))
    assert entry is not None
    note = db.session.scalar(db.select(NoteVerbale).order_by(NoteVerbale.id))
    assert note is not None
    contact = db.session.scalar(db.select(Contact).order_by(Contact.id))
    dispatch = db.session.scalar(db.select(Dispatch).order_by(Dispatch.id))
    assert contact is not None
    assert dispatch is not None
    return {
        "document_id": str(document.id),
        "file_id": str(english.id),
        "scheme_id": str(entry.scheme_id),
        "entry_id": str(entry.id),
        "note_id": str(note.id),
        "contact_id": str(contact.id),
        "dispatch_id": str(dispatch.id),
    }


def _note_file() -> str:
    """The English version of the demo's note verbale (its text is a page too)."""
    note = db.session.scalar(db.select(NoteVerbale).order_by(NoteVerbale.id))
    assert note is not None
    assert note.document is not None
    english = note.document.file("en")
    assert english is not None
    return str(english.id)


def _in_person_delegate() -> Registration:
    """An approved in-person registration of the sample meeting that chose panels (it has a
    badge)."""
    registration = db.session.scalar(
        db.select(Registration)
        .join(Registration.conference)
        .where(
            Conference.slug == SLUG,
            Registration.status == RegistrationStatus.APPROVED,
            Registration.mode == AttendanceMode.IN_PERSON,
        )
        .order_by(Registration.id)
    )
    assert registration is not None
    assert registration.panels
    return registration


def _an_issued_letter() -> VisaLetter:
    """A visa letter the demo issued for the sample meeting."""
    letter = db.session.scalar(
        db.select(VisaLetter)
        .join(VisaLetter.conference)
        .where(Conference.slug == SLUG, VisaLetter.status == LetterStatus.ISSUED)
    )
    assert letter is not None, "the demo issues a visa letter for the sample meeting"
    return letter


def _a_file_answer(delegate: Registration) -> int:
    """The delegate's nomination letter (a PDF) as their answer; returns the question's id."""
    question = next(q for q in answers.questions_for(delegate) if q.kind is QuestionKind.FILE)
    upload = files.checked_file(PDF)
    answers.record_answers(delegate, [answers.AnswerInput(question.id, "nomination.pdf", upload)])
    return question.id


def _first_day(app: Flask) -> str:

    with app.app_context():
        conference = db.session.scalar(db.select(Conference).filter_by(slug=SLUG))
        assert conference is not None
        return conference.local(conference.starts_at).date().isoformat()


def _a_dead_letter() -> None:
    """The oldest queued message, as if it had failed for good (the outbox shows Resend)."""
    mail = db.session.scalar(db.select(OutgoingMail).order_by(OutgoingMail.id))
    assert mail is not None
    mail.status = MailStatus.FAILED
    mail.attempts = 8
    mail.last_error = "550 5.1.1 No such user"
    db.session.commit()


def _mail_in_mailbox(folder: Path) -> str:
    """A calendar invitation as the local mail catcher stores it; returns its file name."""
    message = EmailMessage()
    message["From"] = "CICA Secretariat <secretariat@cica.example>"
    message["To"] = "aigerim.sample@example.org"
    message["Subject"] = "Invitation: Panel 1. New challenges to security in the CICA space"
    message["Date"] = "Mon, 01 Dec 2031 09:00:00 +0000"
    message["Message-ID"] = "<walk@cica.example>"
    message.set_content("You are invited to Panel 1.\nAdd it to your calendar.")
    message.add_alternative(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//walk//EN\r\nMETHOD:REQUEST\r\n"
        "END:VCALENDAR\r\n",
        subtype="calendar",
        params={"method": "REQUEST"},
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CAUGHT_MAIL).write_bytes(message.as_bytes())
    return CAUGHT_MAIL


def tidy(app: Flask) -> None:
    """Removes what `fill_site` left outside the database (the mailbox is the session's)."""
    (Path(app.config["MAILBOX_FOLDER"]) / CAUGHT_MAIL).unlink(missing_ok=True)
