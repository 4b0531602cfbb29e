"""The organiser's choice of the known institution a registration names (review page)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from registration.collation import sort_key
from registration.conferences.institutions import all_institutions
from registration.input_policy import PolicyForm
from registration.signup.models import Registration


class InstitutionLinkForm(PolicyForm):
    institution = SelectField(_l("Known institution"), coerce=str)

    def __init__(self, registration: Registration) -> None:
        super().__init__(
            prefix="link", data={"institution": str(registration.institution_id or "")}
        )
        known = [(str(i.id), i.shown("name")) for i in all_institutions()]
        known.sort(key=lambda choice: sort_key(choice[1].text))
        # an option in another language than the page's carries its `lang`
        self.institution.choices = [("", _l("None (shown as typed)"), {})] + [
            (value, shown.text, {"lang": shown.lang}) for value, shown in known
        ]

    @property
    def chosen_id(self) -> int | None:
        return int(self.institution.data) if self.institution.data else None
