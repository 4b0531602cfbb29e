"""Wide tables scroll inside a region the keyboard can reach (WCAG 1.4.10, 2.1.1): every
table of the management pages sits in a named region that is a tab stop (site.js drops the
tab stop where nothing scrolls), and no column header is empty."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from tests.signup_support import open_registration

REGION = re.compile(
    r'<div class="table-scroll" role="region" aria-label="([^"]+)" tabindex="0" '
    r"data-scroll-region>\s*<table"
)


def test_every_table_is_in_a_named_scrolling_region(
    app: Flask,
    organizer_client: FlaskClient,
    members: None,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    conference = make_conference(slug="ttf9")
    make_panel(conference)
    open_registration(app, conference)
    for path, names in {
        "/manage/": ["Conferences"],
        "/manage/conferences/ttf9/registrations": [
            "Counts by member state and mode",
            "Registrations",
        ],
        "/manage/conferences/ttf9/attendance": ["By member state and organisation", "By session"],
        "/manage/conferences/ttf9/attendance/participants": ["Participants"],
        "/manage/conferences/ttf9/registration/focal-points": ["Focal points"],
    }.items():
        page = organizer_client.get(path).text
        assert REGION.findall(page) == names, path
        assert page.count("<table") == len(names), path
        assert "<th></th>" not in page, path
