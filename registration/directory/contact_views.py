"""The secretariat's pages of the contacts directory: per member state, whom to write to."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from registration.database import db
from registration.directory import contacts
from registration.directory.models import Contact, ContactKind
from registration.directory.services import member_name
from registration.i18n import language_name, page_language, translate
from registration.input_policy import PolicyForm
from registration.staff.access import protect
from registration.staff.roles import Permission

# The Secretariat's address book of member states: administrators only.
bp = protect(Blueprint("contacts", __name__, url_prefix="/manage/contacts"), Permission.ADMINISTER)
LANGUAGES = ("en", "ru", "kk")


class ContactForm(PolicyForm):
    member = SelectField(_l("Member state"), coerce=int)
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, _l(k.label)) for k in ContactKind]
    )
    name = StringField(
        _l("Name of the office or person"),
        validators=[DataRequired(_l("Name the office or person.")), Length(max=300)],
    )
    email = StringField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Give the address.")),
            Email(_l("This is not an e-mail address.")),
        ],
    )
    languages = SelectMultipleField(
        _l("Languages it reads"),
        choices=[SelectChoice(c, LazyString(language_name, c)) for c in LANGUAGES],
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
        validators=[DataRequired(_l("Choose at least one language."))],
    )
    active = BooleanField(_l("Write to this address"), default=True)

    def __init__(self, *args: Any, contact: Contact | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = page_language()
        states = [state for state, _ in contacts.contacts_by_member(language)]
        self.member.choices = [SelectChoice(s.id, member_name(s, language)) for s in states]
        if contact is not None and not self.is_submitted():
            self.member.data = contact.member_id
            self.kind.data = contact.kind.value
            self.name.data = contact.name
            self.email.data = contact.email
            self.languages.data = list(contact.languages)
            self.active.data = contact.active

    def to_data(self) -> contacts.ContactData:
        return contacts.ContactData(
            member_id=self.member.data,
            kind=ContactKind(self.kind.data),
            name=self.name.data,
            email=self.email.data,
            languages=list(self.languages.data or []),
            active=bool(self.active.data),
        )


def _save(form: ContactForm, contact: Contact | None) -> Contact | None:
    try:
        return contacts.save_contact(form.to_data(), contact)
    except contacts.ContactError as error:
        target = getattr(form, error.field)
        target.errors = [*target.errors, translate(error.message)]
        return None


@bp.route("/", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    form = ContactForm()
    if form.validate_on_submit() and (saved := _save(form, None)) is not None:
        flash(
            gettext(
                "%(name)s added for %(member)s.",
                name=saved.name,
                member=member_name(saved.member, page_language()),
            ),
            "success",
        )
        return redirect(url_for(".index") + f"#member-{saved.member.code}")
    return render_template(
        "directory/contacts.html",
        form=form,
        groups=contacts.contacts_by_member(page_language()),
    )


def _contact_or_404(contact_id: int) -> Contact:
    contact = db.session.get(Contact, contact_id)
    if contact is None:
        abort(404)
    return contact


@bp.route("/<int:contact_id>", methods=["GET", "POST"])
def contact(contact_id: int) -> ResponseReturnValue:
    found = _contact_or_404(contact_id)
    form = ContactForm(contact=found)
    if form.validate_on_submit() and _save(form, found) is not None:
        flash(gettext("Contact saved."), "success")
        return redirect(url_for(".index") + f"#member-{found.member.code}")
    return render_template("directory/contact.html", form=form, contact=found)


@bp.route("/<int:contact_id>/remove", methods=["POST"])
def remove(contact_id: int) -> ResponseReturnValue:
    found = _contact_or_404(contact_id)
    code = found.member.code
    contacts.remove_contact(found)
    flash(gettext("Contact removed."), "success")
    return redirect(url_for(".index") + f"#member-{code}")
