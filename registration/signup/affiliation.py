"""The institution a registrant types: linked to the known institution it names (in any
of that institution's languages), else kept as typed with the language it is written in."""

from __future__ import annotations

from registration.database import db
from registration.directory.institution_names import institution_by_name, typed_language
from registration.directory.models import Institution
from registration.signup.models import Registration
from registration.stored_text import TEXT_LANGUAGES


def columns(typed: str, language: str) -> dict[str, object]:
    """A registration's institution columns for `typed` (stripped), the registrant's
    `language` deciding only for a name without letters."""
    text = typed.strip()
    found = institution_by_name(text)
    return {
        "institution": text,
        "institution_id": found.id if found is not None else None,
        "institution_language": typed_language(text, language),
    }


def link(registration: Registration, institution_id: int | None) -> None:
    """An organiser's choice: the registration names this known institution (None: none)."""
    institution = db.session.get(Institution, institution_id) if institution_id else None
    registration.known_institution = institution
    db.session.commit()


def add_as_institution(registration: Registration) -> Institution:
    """Make the typed name a known institution (in the language it is typed in) and link the
    registration to it; an institution that has the name already is linked instead."""
    institution = institution_by_name(registration.institution)
    if institution is None:
        language = registration.institution_language
        institution = Institution(
            name=registration.institution.strip(),
            language=language if language in TEXT_LANGUAGES else "en",
        )
        db.session.add(institution)
    registration.known_institution = institution
    db.session.commit()
    return institution
