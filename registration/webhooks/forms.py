"""The form that subscribes a URL to events."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from registration.conferences.models import Conference
from registration.i18n import page_language
from registration.input_policy import PolicyForm, column_length
from registration.signup.forms import CheckboxesField
from registration.stored_text import Shown
from registration.webhooks.events import EVENTS
from registration.webhooks.models import WebhookSubscription

ALL = 0


def _stripped(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class SubscriptionForm(PolicyForm):
    url = StringField(
        _l("Receiver URL"),
        description=_l(
            "An https:// (or http://) address of a public host; events are POSTed there."
        ),
        filters=[_stripped],
        validators=[
            DataRequired(_l("Give the URL events are sent to.")),
            Length(max=column_length(WebhookSubscription.url)),
        ],
    )
    description = StringField(
        _l("Description"),
        description=_l("Optional: what receives the events, e.g. 'Ministry registration system'."),
        filters=[_stripped],
        validators=[Length(max=column_length(WebhookSubscription.description))],
    )
    conference = SelectField(_l("Conference"), coerce=int, validate_choice=True)
    events = CheckboxesField(
        _l("Events"),
        choices=[SelectChoice(name, _l(label)) for name, label in EVENTS.items()],
        validate_choice=True,
        validators=[DataRequired(_l("Choose at least one event."))],
    )

    def offer(self, conferences: Sequence[Conference]) -> None:
        self.conference.choices = [SelectChoice(ALL, _l("All the conferences I organise"))] + [
            _titled(c.id, c.shown("title")) for c in conferences
        ]


def _titled(value: int, title: Shown) -> SelectChoice:
    """An option showing a stored title, with its lang when not in the page's (WCAG 3.1.2)."""
    other = title.lang != page_language()
    return SelectChoice(value, title.text, render_kw={"lang": title.lang} if other else {})
