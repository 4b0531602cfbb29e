"""A registration's institution as typed, and the known institution it names: columns and
reading shared by the registration model (registration/signup/affiliation.py fills them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from registration.directory.models import Institution
from registration.stored_text import Shown


class TypedInstitution:
    """The known institution the typed `institution` names (any of its languages), and the
    language the typed text is written in."""

    if TYPE_CHECKING:
        institution: str

    institution_language: Mapped[str] = mapped_column(String(8), server_default="en")

    @declared_attr
    def institution_id(cls) -> Mapped[int | None]:  # noqa: N805 (SQLAlchemy passes the class)
        return mapped_column(ForeignKey("institutions.id", ondelete="SET NULL"), index=True)

    @declared_attr
    def known_institution(cls) -> Mapped[Institution | None]:  # noqa: N805 (as above)
        return relationship(Institution, lazy="joined")

    def institution_in(self, language: str | None = None) -> Shown:
        """The institution in `language` (the page's) if it names a known one, else as typed."""
        if self.known_institution is not None and self.institution:
            return self.known_institution.shown("name", language)
        return Shown(self.institution, self.institution_language)
