"""The open part of the website: documents pages per conference and series, in the
visitor's language, and the files themselves; focal points' documents behind their sign-in."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from registration.conferences import services as conferences
from registration.conferences.models import Conference, ConferenceStatus, Series
from registration.database import db
from registration.documents import services
from registration.documents.models import DocumentFile
from registration.downloads import download as send_download
from registration.extensions import login_manager
from registration.i18n import page_language
from registration.signup.access import focal_points_only
from registration.signup.errors import LinkInvalidError
from registration.signup.links import registration_for_token
from registration.signup.models import FocalPoint, Registration, RegistrationStatus

bp = Blueprint("documents", __name__)
delegation = focal_points_only(
    Blueprint("delegation_documents", __name__, url_prefix="/delegation")
)


@bp.app_template_global("public_documents_count")
def public_documents_count(owner: Conference | Series) -> int:
    return services.public_count(owner)


def current_reader() -> services.Reader:
    """The signed-in organiser or focal point, a participant by their personal link
    (`?token=`), or an anonymous visitor."""
    if not current_user.is_authenticated:
        participant = _participant(request.args.get("token", ""))
        if participant is None:
            return services.Reader()
        return services.Reader(participant_of=frozenset({participant.conference_id}))
    if current_user.is_administrator:
        return services.Reader(organizer=True)
    conference_ids = db.session.scalars(
        db.select(FocalPoint.conference_id).where(FocalPoint.user_id == current_user.id)
    )
    return services.Reader(focal_point_of=frozenset(conference_ids))


def _listing(owner: Conference | Series, reader: services.Reader, template: str) -> Response:
    """The page, or 304 when the visitor's copy (its ETag) is still the one we would send."""
    documents = services.readable_documents(owner, reader)
    user = current_user.get_id() if current_user.is_authenticated else None
    tag = services.listing_tag(documents, template, owner.id, page_language(), user)
    if request.if_none_match.contains(tag):
        response = Response(status=304)
    else:
        is_conference = isinstance(owner, Conference)
        name = owner.shown("title" if is_conference else "name")
        page = render_template(
            template, owner=owner, name=name, is_conference=is_conference, documents=documents
        )
        response = Response(page)
    response.set_etag(tag)
    response.headers["Cache-Control"] = "no-cache" if user is None else "private, no-cache"
    return response


def _public_conference(slug: str) -> Conference:
    found = conferences.conference_by_slug(slug)
    if found is None or found.status == ConferenceStatus.DRAFT:
        abort(404)
    return found


@bp.route("/conferences/<slug>/documents")
def conference_documents(slug: str) -> ResponseReturnValue:
    return _listing(_public_conference(slug), services.Reader(), "documents/public_list.html")


@bp.route("/series/<slug>/documents")
def series_documents(slug: str) -> ResponseReturnValue:
    series = conferences.series_by_slug(slug)
    if series is None:
        abort(404)
    return _listing(series, services.Reader(), "documents/public_list.html")


@delegation.route("/<slug>/documents")
def focal_point_documents(slug: str) -> ResponseReturnValue:
    """The conference's and its series' documents a focal point may read."""
    conference = _public_conference(slug)
    reader = current_reader()
    own = services.readable_documents(conference, reader)
    series = services.readable_documents(conference.series, reader) if conference.series else []
    return render_template(
        "documents/delegation_list.html", conference=conference, documents=own, series=series
    )


def _participant(token: str) -> Registration | None:
    """The approved registration a personal link names, else None."""
    if not token:
        return None
    try:
        registration = registration_for_token(token)
    except LinkInvalidError:
        return None
    return registration if registration.status is RegistrationStatus.APPROVED else None


@bp.route("/conferences/<slug>/registration/<token>/documents")
def participant_documents(slug: str, token: str) -> ResponseReturnValue:
    """What a registered participant may read, reached from their registration page."""
    conference = _public_conference(slug)
    participant = _participant(token)
    if participant is None or participant.conference_id != conference.id:
        abort(404)
    reader = services.Reader(participant_of=frozenset({conference.id}))
    own = services.readable_documents(conference, reader)
    series = services.readable_documents(conference.series, reader) if conference.series else []
    return render_template(
        "documents/delegation_list.html",
        conference=conference,
        documents=own,
        series=series,
        token=token,
    )


@bp.app_template_global("participant_documents_count")
def participant_documents_count(conference: Conference) -> int:
    reader = services.Reader(participant_of=frozenset({conference.id}))
    return len(services.readable_documents(conference, reader))


def _ascii_name(version: DocumentFile) -> str:
    """The file's name for clients that read only ASCII names: the document's kind, id and
    the version's language ("note-verbale-7-ru.docx")."""
    kind = version.document.kind.value.replace("_", "-")
    return f"{kind}-{version.document_id}-{version.language}.{version.format.value}"


@bp.route("/documents/files/<int:file_id>")
def download(file_id: int) -> ResponseReturnValue:
    """A language version: anybody for a public document, else who may read it."""
    version = db.session.get(DocumentFile, file_id)
    if version is None:
        abort(404)
    reader = current_reader()
    if not reader.may_read(version.document):
        if not current_user.is_authenticated and version.document.status.value == "issued":
            return login_manager.unauthorized()
        abort(404)
    response = send_download(
        version.content,
        version.format.mimetype,
        version.filename,
        ascii_name=_ascii_name(version),
        etag=version.sha256,
    )
    response.headers["Cache-Control"] = (
        "no-cache" if version.document.visibility.value == "public" else "private, no-cache"
    )
    return response
