"""The bodies of panel mail rendered once and filled in per attendee (`panel_bodies`) are
the bodies rendered for that attendee, in every language, kind and mode."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from flask import Flask

from registration.calendars.panel_bodies import SUBJECTS, Attendee, bodies, render, times
from registration.conferences.models import Panel
from registration.database import db
from registration.i18n import in_language

ATTENDEES = [
    Attendee("Dana O'Neil", "dana@example.org", "https://events.example/j/abc.def"),
    Attendee('Иван <Петров> & "сын"', "ivan@mfa.example.kz", "https://events.example/j/a&b<c>"),
    Attendee("", "x@example.org", ""),
]


def test_each_attendee_gets_the_bodies_rendered_for_them(
    app: Flask,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    conference_id = make_conference(online_url="https://meet.example/cica")
    panel_id = make_panel(conference_id, theme="Transport & energy <corridors>")
    cases = itertools.product(["en", "ru", "kk"], SUBJECTS, [True, False], ATTENDEES)
    with app.app_context():
        panel = db.session.get_one(Panel, panel_id)
        for language, kind, online, attendee in cases:
            if not online:
                attendee = attendee._replace(link="")
            with in_language(language) as chosen:
                written = bodies(panel, kind, online, chosen, attendee)
                assert (written.text, written.html) == render(panel, kind, online, chosen, attendee)
                assert times(panel)["date"] in written.subject
    assert "filling in cannot" not in caplog.text  # each came from the rendered-once bodies
