"""Institutions as the Secretariat edits them: a name in its main language, beside it the
name in the other languages (registration/stored_text.py), and a short name."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func

from registration.collation import sort_key
from registration.conferences.changes import ChangeError
from registration.database import db
from registration.directory.models import Institution
from registration.i18n import N_
from registration.stored_text import TEXT_LANGUAGES, Translations


@dataclass(frozen=True)
class InstitutionData:
    name: str  # in `language`
    language: str = "en"
    short_name: str | None = None
    translations: Translations = field(default_factory=dict)


def all_institutions() -> list[Institution]:
    return list(db.session.scalars(db.select(Institution).order_by(Institution.name)).all())


def institution_names_in_every_language() -> list[str]:
    """Every institution's names, main and translated (any of them finds the institution)."""
    names = {
        text
        for institution in db.session.scalars(db.select(Institution))
        for code in TEXT_LANGUAGES
        if (text := institution.translation("name", code))
    }
    return sorted(names, key=sort_key)


def update_institution(institution: Institution, data: InstitutionData) -> None:
    """Save the institution's names. The main name finds the institution (any case), so
    another institution may not have it; `field` of the refusal is the main name's."""
    taken = db.session.scalar(
        db.select(Institution.id).where(
            func.lower(Institution.name) == data.name.lower(), Institution.id != institution.id
        )
    )
    if taken is not None:
        raise ChangeError("name", N_("Another institution already has this name."))
    institution.name = data.name
    institution.language = data.language
    institution.short_name = data.short_name
    institution.translations = data.translations
    db.session.commit()
