"""Forms: the public registration, the person's changes, reviews and organiser settings.

The public forms' labels and messages are lazy translations (`_l`), rendered in the page's
language; enum labels are marked for the catalogue in their models. Reviews, settings and
focal-point forms are management pages and stay in English.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget, Select, html_params

from registration.accounts.forms import languages_named_in_themselves, new_account_language
from registration.accounts.models import User
from registration.conferences.models import Panel
from registration.i18n import language_name, page_language, strftime
from registration.input_policy import PolicyForm, column_length
from registration.signup.models import AttendanceMode, ParticipantRole, Registration


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


STRIP = [_strip]


class MemoSelect(Select):
    """A select that renders its (long, rarely changing) options once per choices and value.

    The member list has ~40 options; rendering them is most of the form's page time.
    """

    MAX_ENTRIES = 256

    def __init__(self) -> None:
        super().__init__()
        self._options: dict[tuple[object, ...], Markup] = {}

    def __call__(self, field: SelectField, **kwargs: object) -> Markup:
        choices = field.choices or []
        key = (str(field.data), *((c.value, c.label, c.optgroup) for c in choices))
        options = self._options.get(key)
        if options is None:
            whole = super().__call__(field)
            # WTForms escaped every label and value: the slice stays safe markup.
            options = Markup(whole[whole.index(">") + 1 : -len("</select>")])  # noqa: S704
            if len(self._options) >= self.MAX_ENTRIES:
                self._options.clear()
            self._options[key] = options
        kwargs.setdefault("id", field.id)
        if field.flags.required and "required" not in kwargs:
            kwargs["required"] = True
        opening = Markup(f"<select {html_params(name=field.name, **kwargs)}>")  # noqa: S704
        return opening + options + Markup("</select>")


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def panel_label(panel: Panel) -> Markup:
    """The panel's time and title, the title with `lang` when not in the page's language."""
    start = panel.starts_at.astimezone(panel.conference.zone)
    title = panel.shown("title", page_language())
    return Markup("{} · {}").format(strftime(start, "%d %b %H:%M"), title)


class _PanelLabel:
    """`panel_label`, written when a page shows it: a form sent and accepted shows none."""

    __slots__ = ("panel",)

    def __init__(self, panel: Panel) -> None:
        self.panel = panel

    def __html__(self) -> Markup:
        return panel_label(self.panel)

    def __str__(self) -> str:
        return str(panel_label(self.panel))


def panel_choices(panels: Sequence[Panel]) -> list[SelectChoice]:
    return [SelectChoice(p.id, _PanelLabel(p)) for p in panels]  # type: ignore[arg-type]


class AttendanceForm(PolicyForm):
    """Attendance mode and panels: shared by the sign-up and the 'manage' page."""

    mode = RadioField(
        _l("Attendance"),
        choices=[SelectChoice(m.value, _l(m.label)) for m in AttendanceMode],
        validators=[InputRequired(_l("Choose how you will attend."))],
    )
    panels = CheckboxesField(_l("Panels you will attend"), coerce=int, validate_choice=True)

    def offer(self, modes: Sequence[AttendanceMode], panels: Sequence[Panel]) -> None:
        """Restrict the choices to what this conference offers."""
        self.mode.choices = [SelectChoice(m.value, gettext(m.label)) for m in modes]
        if len(modes) == 1 and not self.mode.data:
            self.mode.data = modes[0].value
        self.panels.choices = panel_choices(panels)
        if self.panels.data is None:
            self.panels.data = []


class RegistrationForm(AttendanceForm):
    # As the page shows them (the attendance fields are declared first, in the base class).
    field_order = (
        "name",
        "email",
        "position",
        "institution",
        "member",
        "mode",
        "panels",
        "role",
        "language",
        "mail_language",
        "consent",
    )
    name = StringField(
        _l("Full name"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter your full name.")),
            Length(max=column_length(Registration.name)),
        ],
    )
    position = StringField(
        _l("Title or position"),
        filters=STRIP,
        validators=[Length(max=column_length(Registration.position))],
    )
    institution = StringField(
        _l("Institution"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter your institution.")),
            Length(max=column_length(Registration.institution)),
        ],
    )
    email = EmailField(
        _l("E-mail"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter a valid e-mail address, like name@example.org.")),
            Length(max=column_length(Registration.email)),
        ],
    )
    member = SelectField(
        _l("Represented member state or organisation"),
        validators=[DataRequired(_l("Choose the member state or organisation you represent."))],
        render_kw={"data-searchable": "member-search"},
        widget=MemoSelect(),
    )
    role = RadioField(
        _l("Role"),
        choices=[SelectChoice(r.value, _l(r.label)) for r in ParticipantRole],
        default=ParticipantRole.PARTICIPANT.value,
        validators=[InputRequired(_l("Choose your role."))],
    )
    language = SelectField(
        _l("Interpretation language"),
        validators=[InputRequired(_l("Choose an interpretation language."))],
    )
    mail_language = SelectField(
        _l("Language of our messages to you"),
        choices=languages_named_in_themselves(),
        default=page_language,  # also when a form is sent without it
    )
    consent = BooleanField(
        _l("Show my name, position and institution on the public participant list")
    )

    def offer_members(self, choices: Sequence[SelectChoice]) -> None:
        self.member.choices = [SelectChoice("", gettext("Choose…")), *choices]

    def answer_mode(self) -> AttendanceMode | None:
        """The attendance chosen, which decides the questions asked (None: not valid yet)."""
        try:
            return AttendanceMode(self.mode.data)
        except ValueError:
            return None

    def offer_languages(self, choices: Sequence[tuple[str, str]]) -> None:
        """The names (offer.py marks them for the catalogue) in the page's language."""
        self.language.choices = [SelectChoice(code, gettext(name)) for code, name in choices]
        if not self.language.data:
            self.language.data = choices[0][0]

    def bind_to_invitation(
        self,
        *,
        email: str,
        name: str,
        member_id: int | None,
        role: str,
        panel_ids: Sequence[int],
        submitted: bool,
    ) -> None:
        """Fill the form from an invitation and bind it to the invited address.

        The e-mail is always the invited address (a posted value is replaced, and the field
        is read-only); name, member, role and panels are offered on the first display only,
        so the invitee may still correct them.
        """
        self.email.data = email
        self.email.render_kw = {**(self.email.render_kw or {}), "readonly": True}
        if submitted:
            return
        self.name.data = self.name.data or name
        if member_id is not None:
            self.member.data = str(member_id)
        self.role.data = role
        if panel_ids:
            self.panels.data = list(panel_ids)


class ManageForm(AttendanceForm):
    pass


class MailLanguageForm(PolicyForm):
    """The language of our messages, chosen again on the manage link's page."""

    mail_language = SelectField(
        _l("Language of our messages to you"),
        validators=[InputRequired(_l("Choose one of the languages offered."))],
    )

    def offer(self, languages: Sequence[str]) -> None:
        """Each language by its name in the page's language ("Kazakh", "Казахский")."""
        self.mail_language.choices = [SelectChoice(c, language_name(c)) for c in languages]


class ResendLinkForm(PolicyForm):
    email = EmailField(
        _l("E-mail you registered with"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter a valid e-mail address, like name@example.org.")),
            Length(max=column_length(Registration.email)),
        ],
    )


class WithdrawForm(PolicyForm):
    confirm = BooleanField(
        _l("Yes, withdraw my registration"),
        validators=[DataRequired(_l("Tick the box to confirm the withdrawal."))],
    )


class DecisionForm(PolicyForm):
    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice("approve", _l("Approve")), SelectChoice("reject", _l("Reject"))],
        validators=[InputRequired(_l("Choose approve or reject."))],
    )
    reason = TextAreaField(_l("Reason (sent to the person)"), validators=[Length(max=2000)])

    def validate_reason(self, field: StringField) -> None:
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError(_l("Give a reason for the rejection; the person will read it."))


class BulkForm(PolicyForm):
    """An action on many registrations of the list: the chosen ones, or all that match."""

    scope = RadioField(
        _l("Apply to"),
        choices=[
            SelectChoice("selected", _l("The registrations ticked in the list")),
            SelectChoice("filter", _l("All registrations that match the filter")),
        ],
        default="selected",
        validators=[InputRequired(_l("Choose which registrations."))],
    )
    action = RadioField(
        _l("Action"),
        choices=[
            SelectChoice("approve", _l("Approve")),
            SelectChoice("reject", _l("Reject")),
            SelectChoice("write", _l("Write to them")),
        ],
        validators=[InputRequired(_l("Choose what to do."))],
    )
    reason = TextAreaField(
        _l("Reason (sent to each person; needed to reject)"), validators=[Length(max=2000)]
    )
    message_subject = StringField(_l("Subject of the message"), validators=[Length(max=200)])
    body = TextAreaField(_l("Message"), validators=[Length(max=20_000)])

    def validate_reason(self, field: TextAreaField) -> None:
        if self.action.data == "reject" and not (field.data or "").strip():
            raise ValidationError(_l("Give a reason for the rejection; each person will read it."))

    def validate_message_subject(self, field: StringField) -> None:
        if self.action.data == "write" and not (field.data or "").strip():
            raise ValidationError(_l("Give the message a subject."))

    def validate_body(self, field: TextAreaField) -> None:
        if self.action.data == "write" and not (field.data or "").strip():
            raise ValidationError(_l("Write the message."))


def _positive(label: object) -> IntegerField:
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(min=0, message=_l("Enter 0 or a positive number."))],
    )


class SettingsForm(PolicyForm):
    opens_at = DateTimeLocalField(
        _l("Registration opens (conference time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Enter when registration opens."))],
    )
    closes_at = DateTimeLocalField(
        _l("Registration closes (conference time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Enter when registration closes."))],
    )
    approval_required = BooleanField(_l("Registrations need approval"), default=True)
    in_person_capacity = _positive(_l("In-person seats (empty: no limit)"))
    delegation_in_person_quota = _positive(_l("In-person places per delegation (empty: no limit)"))
    delegation_total_quota = _positive(_l("Places per delegation in total (empty: no limit)"))
    panels = CheckboxesField(_l("Panels that accept sign-ups"), coerce=int, validate_choice=True)

    def validate_closes_at(self, field: DateTimeLocalField) -> None:
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("Registration must close after it opens."))


class FocalPointForm(PolicyForm):
    email = EmailField(
        _l("Account e-mail"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter the focal point's e-mail address.")),
            Email(_l("Enter a valid e-mail address, like name@example.org.")),
            Length(max=column_length(User.email)),
        ],
    )
    name = StringField(
        _l("Name (for a new account)"),
        filters=STRIP,
        validators=[Length(max=column_length(User.name))],
    )
    member = SelectField(
        _l("Member state or organisation"),
        validators=[DataRequired(_l("Choose the member state or organisation."))],
    )
    language = new_account_language()

    def offer_members(self, choices: Sequence[SelectChoice]) -> None:
        self.member.choices = [SelectChoice("", _l("Choose…")), *choices]
