"""Dispatching an issued note, and the register of each dispatch (resend to one address)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import RadioField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice

from registration.correspondence import dispatch as dispatching
from registration.correspondence.dispatch_models import Dispatch, DispatchDelivery
from registration.correspondence.models import NoteVerbale
from registration.correspondence.notes import NoteError
from registration.database import db
from registration.directory import contacts
from registration.directory.services import member_name
from registration.i18n import page_language, translate
from registration.input_policy import PolicyForm
from registration.staff.access import protect
from registration.staff.roles import Permission

# Dispatch of notes verbales under the Secretariat's register: administrators only.
bp = protect(Blueprint("dispatch", __name__, url_prefix="/manage"), Permission.ADMINISTER)


class DispatchForm(PolicyForm):
    audience = RadioField(
        _l("Send to"),
        choices=[
            SelectChoice("all", _l("All member states")),
            SelectChoice("chosen", _l("The member states chosen below")),
        ],
        default="all",
    )
    members = SelectMultipleField(
        _l("Member states"),
        coerce=int,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = page_language()
        self.members.choices = [
            SelectChoice(member.id, f"{member_name(member, language)} ({len(found)})")
            for member, found in contacts.contacts_by_member(language)
            if any(c.active for c in found)
        ]

    def member_ids(self) -> list[int] | None:
        return None if self.audience.data == "all" else list(self.members.data or [])


@bp.route("/notes/<int:note_id>/dispatch", methods=["GET", "POST"])
def new(note_id: int) -> ResponseReturnValue:
    note = db.session.get(NoteVerbale, note_id)
    if note is None:
        abort(404)
    form = DispatchForm()
    if form.validate_on_submit():
        try:
            sent = dispatching.start(note, form.member_ids(), current_user.id)
        except NoteError as error:
            target = getattr(form, error.field, None)
            if target is None:
                form.form_errors.append(translate(error.message))
            else:
                target.errors = [*target.errors, translate(error.message)]
        else:
            flash(_("The note is on its way: the register shows each address."), "success")
            return redirect(url_for(".register", dispatch_id=sent.id))
    dispatches = db.session.scalars(
        db.select(Dispatch).filter_by(note_id=note.id).order_by(Dispatch.id.desc())
    ).all()
    return render_template(
        "correspondence/dispatch_new.html", note=note, form=form, dispatches=dispatches
    )


@bp.route("/dispatches/<int:dispatch_id>")
def register(dispatch_id: int) -> ResponseReturnValue:
    found = db.session.get(Dispatch, dispatch_id)
    if found is None:
        abort(404)
    counts = dispatching.counts(found)
    return render_template(
        "correspondence/dispatch.html",
        dispatch=found,
        groups=dispatching.register_lines(found, page_language()),
        counts=counts,
        running=dispatching.running(found, counts),
    )


@bp.route("/dispatches/deliveries/<int:delivery_id>/resend", methods=["POST"])
def resend(delivery_id: int) -> ResponseReturnValue:
    delivery = db.session.get(DispatchDelivery, delivery_id)
    if delivery is None:
        abort(404)
    dispatching.resend(delivery)
    flash(_("Sent again to %(address)s.", address=delivery.email), "success")
    return redirect(url_for(".register", dispatch_id=delivery.dispatch_id))
