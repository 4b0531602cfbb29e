"""Finding an institution by a name typed in any of its languages, and telling which
language a typed name is written in when it names no known institution."""

from __future__ import annotations

import re
import unicodedata

from registration.database import db
from registration.directory.models import Institution
from registration.stored_text import TEXT_LANGUAGES

# Quotation marks people type around or inside names: "", «», „“, '' and their kin.
_QUOTES = re.compile(
    "[\"'`\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a]"
)
_SPACES = re.compile(r"\s+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_KAZAKH = re.compile("[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")


def normalised(name: str) -> str:
    """A name as compared: quotes dropped, spaces collapsed, case folded."""
    text = unicodedata.normalize("NFC", name)
    return _SPACES.sub(" ", _QUOTES.sub("", text)).strip().casefold()


def institution_by_name(name: str) -> Institution | None:
    """The institution one of whose names is `name`, compared `normalised`: a main name
    first, else a translation (the oldest institution if several); None if none is."""
    wanted = normalised(name)
    if not wanted:
        return None
    institutions = db.session.scalars(db.select(Institution).order_by(Institution.id)).all()
    for institution in institutions:
        if normalised(institution.name) == wanted:
            return institution
    for institution in institutions:
        names = (institution.translation("name", code) for code in TEXT_LANGUAGES)
        if any(normalised(text) == wanted for text in names if text):
            return institution
    return None


def typed_language(text: str, preferred: str) -> str:
    """The language a typed name is in, honestly: Cyrillic is Kazakh when it has one of
    Kazakh's own letters (`_KAZAKH`), else Russian (a Kazakh-speaking registrant
    typing an institution's Russian name is common; Kazakh names without those letters are
    rare), as the institutions' migration guessed; Latin is English; another script is
    undetermined ('und', BCP 47); no letters at all, `preferred` (the registration's)."""
    if _CYRILLIC.search(text):
        return "kk" if _KAZAKH.search(text) else "ru"
    if _LATIN.search(text):
        return "en"
    return "und" if any(ch.isalpha() for ch in text) else preferred
