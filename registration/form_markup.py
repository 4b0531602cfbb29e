"""What the form templates (`templates/_form.html`) need to tie each error to its field.

One pattern for every form (WCAG 1.3.1, 3.3.1, 4.1.2): a control names its hint and its
errors in `aria-describedby` and says `aria-invalid` when it has errors; radio buttons and
checkbox lists are a fieldset whose legend is the question, each option described the same
way; after a failed submit an error summary lists and links every field in error (site.js
moves the focus to it), and the page title starts with "Error".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flask import Flask
from jinja2 import pass_context
from jinja2.runtime import Context
from wtforms import Field, Form, RadioField
from wtforms.widgets import ListWidget


def is_choice_group(field: Field) -> bool:
    """Radio buttons or a list of checkboxes: shown as a fieldset, not a single control."""
    return isinstance(field, RadioField) or isinstance(field.widget, ListWidget)


def hint_id(field: Field) -> str:
    return f"{field.id}-hint"


def error_ids(field: Field) -> list[str]:
    """One id per error message: `<id>-error`, then `<id>-error-2`, ..."""
    first = f"{field.id}-error"
    return [f"{first}-{n}" if n > 1 else first for n in range(1, len(field.errors) + 1)]


def described_by(field: Field, has_hint: bool, also: str = "") -> str:
    """The ids that describe the field's control: what was given, its hint, its errors."""
    ids = [*also.split(), *([hint_id(field)] if has_hint else []), *error_ids(field)]
    return " ".join(ids)


def control_attributes(field: Field, has_hint: bool, given: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes a control (or each option of a group) is rendered with."""
    attributes = dict(given)
    description = described_by(field, has_hint, str(attributes.pop("aria-describedby", "")))
    if description:
        attributes["aria-describedby"] = description
    if field.errors and not isinstance(field, RadioField):
        attributes["aria-invalid"] = "true"  # radios take no aria-invalid (ARIA 1.2)
    return attributes


def target_id(field: Field) -> str:
    """Where a link to the field goes: the control, or a group's first option."""
    return f"{field.id}-0" if is_choice_group(field) and field.choices else field.id


def summary_id(form: Form) -> str:
    prefix = getattr(form, "_prefix", "")
    return f"{prefix}error-summary" if prefix else "error-summary"


def errors_in(form: Form) -> Iterator[tuple[Field, str]]:
    """Every (field, message) of a form, in the order the page shows the fields: the
    form's `field_order` (names) when its page differs from the order of declaration."""
    order: list[str] = list(getattr(form, "field_order", ()))
    fields = sorted(form, key=lambda f: order.index(f.name) if f.name in order else len(order))
    for field in fields:
        for message in field.errors:
            yield field, str(message)


@pass_context
def page_has_form_errors(context: Context) -> bool:
    """Whether any form this page was rendered with came back with errors."""
    return any(
        isinstance(value, Form) and bool(value.errors) for value in context.get_all().values()
    )


def init_app(app: Flask) -> None:
    app.jinja_env.tests["choice_group"] = is_choice_group
    app.jinja_env.globals.update(
        control_attributes=control_attributes,
        error_ids=error_ids,
        errors_in=errors_in,
        form_hint_id=hint_id,
        error_target_id=target_id,
        error_summary_id=summary_id,
        page_has_form_errors=page_has_form_errors,
    )
