"""The audit log's filter (a GET form: no CSRF token, nothing changes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from registration.audit.describe import ACTOR_KINDS, GROUPS
from registration.audit.queries import AuditFilter
from registration.input_policy import PolicyForm


def _choices(everything: object, named: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice("", everything)] + [SelectChoice(k, _l(v)) for k, v in named.items()]


class AuditFilterForm(PolicyForm):
    class Meta:
        csrf = False

    group = SelectField(_l("What"), choices=_choices(_l("Everything"), GROUPS), default="")
    actor_kind = SelectField(_l("By"), choices=_choices(_l("Anyone"), ACTOR_KINDS), default="")
    text = StringField(
        _l("Person or name contains"),
        validators=[Optional()],
        description=_l("Matches who acted and what the entry is about."),
    )
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])

    def wanted(self, registration_id: int | None) -> AuditFilter:
        """The filter asked for; a field in error is left out."""
        return AuditFilter(
            group=self.group.data if not self.group.errors else "",
            actor_kind=self.actor_kind.data if not self.actor_kind.errors else "",
            text=(self.text.data or "").strip() if not self.text.errors else "",
            registration_id=registration_id,
            since=self.since.data if not self.since.errors else None,
            until=self.until.data if not self.until.errors else None,
        )
