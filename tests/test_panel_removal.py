"""A removed panel's CANCEL: written by the removal job's worker from what the panel was (the
row is gone by then), in each attendee's language (English, Russian, Kazakh), once however often
the job runs; each read by icalendar, vobject and ical.js."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import update

from registration.calendars import ical, messages, removal
from registration.calendars.models import RemovedPanelAttendee
from registration.conferences import panels
from registration.conferences.models import Panel, PanelPerson, PanelRole, Person
from registration.database import db
from registration.directory.models import Institution, Member
from registration.i18n import in_language
from registration.jobs import services as jobs
from registration.jobs.models import Job, JobState
from registration.jobs.registry import label_of
from registration.mail import services as mail_services
from registration.mail.models import OutgoingMail
from tests.ics_check import read_all
from tests.mail_support import add_registration

pytestmark = pytest.mark.usefixtures("members")
SIIS = "Shanghai Institutes for International Studies"
SIIS_RU = "Шанхайский институт международных исследований"
SIIS_KK = "Шанхай халықаралық зерттеулер институты"
TITLES = {"en": "Opening", "ru": "Открытие", "kk": "Ашылу"}
STATE = {"en": "Azerbaijan", "ru": "Азербайджан", "kk": "Әзірбайжан"}


def test_removed_panel_cancel_says_what_it_was_in_each_language_once(
    app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    panel_id = make_panel(
        conference_id,
        title=TITLES["en"],
        translations={code: {"title": TITLES[code]} for code in ("ru", "kk")},
    )
    with app.app_context():
        panel = db.session.get(Panel, panel_id)
        speaker = Person(name="Kairat Sarybay", honorific="H.E. Mr.", position="Secretary General")
        panel.roles.append(PanelPerson(person=speaker, role=PanelRole.SPEAKER))
        siis = Institution(
            name=SIIS,
            language="en",
            translations={"ru": {"name": SIIS_RU}, "kk": {"name": SIIS_KK}},
        )
        expert = Person(name="Chen Dongxiao", institution=siis)
        panel.roles.append(PanelPerson(person=expert, role=PanelRole.SPEAKER, position=1))
        azerbaijan = db.session.execute(db.select(Member).filter_by(code="AZE")).scalar_one()
        envoy = Person(name="Elnur Aliyev", member=azerbaijan)  # his state, no institution
        panel.roles.append(PanelPerson(person=envoy, role=PanelRole.SPEAKER, position=2))
        english = add_registration(conference_id, "en@example.org")
        russian = add_registration(conference_id, "ru@example.org")
        russian.mail_language = "ru"
        kazakh = add_registration(conference_id, "kk@example.org")
        kazakh.mail_language = "kk"
        db.session.flush()
        for registration in (english, russian, kazakh):
            assert messages.registration_approved(registration) == 1
        db.session.commit()

        change = panels.remove_panel(db.session.get(Panel, panel_id))
        assert change.job_id is not None
        assert db.session.get(Job, change.job_id).total == 3
        assert jobs.run(change.job_id) == 3
        db.session.execute(  # the same job again (a duplicated task, a sweeper's retry)
            update(Job).where(Job.id == change.job_id).values(state=JobState.QUEUED)
        )
        db.session.commit()
        assert jobs.run(change.job_id) == 0
        assert db.session.scalar(db.select(db.func.count(RemovedPanelAttendee.job_id))) == 0
        with in_language("ru"):  # the job's name, from the copy of the panel it keeps
            named = label_of(db.session.get(Job, change.job_id))
            assert named == "Отмена удалённого заседания: Открытие"

        rows = db.session.scalars(db.select(OutgoingMail).order_by(OutgoingMail.id)).all()
        invitations = [r for r in rows if r.composer == "calendars.itip"]
        assert [mail_services.message_of(r) for r in invitations] == [None, None, None], (
            "an invitation still queued has nothing to say about a panel that is gone"
        )
        cancels = {
            r.recipient: email.message_from_bytes(
                mail_services.message_of(r) or b"", policy=email.policy.default
            )
            for r in rows
            if r.composer == "calendars.removed_panel"
        }
    assert set(cancels) == {f"{code}@example.org" for code in TITLES}
    institution = {"en": SIIS, "ru": SIIS_RU, "kk": SIIS_KK}
    for code, title in TITLES.items():
        message = cancels[f"{code}@example.org"]
        assert title in str(message["Subject"]), code
        [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        calendar = read_all(part.get_payload(decode=True))
        assert calendar["method"] == "CANCEL"
        [event] = calendar["events"]
        assert event["status"] == "CANCELLED"
        assert event["uid"].startswith(f"panel-{panel_id}@")
        assert event["sequence"] == 1, "it outranks the invitation"
        assert event["summary"].startswith(title), code
        assert "H.E. Mr. Kairat Sarybay" in event["description"]
        # the speaker's institution in the attendee's language (English: its main name)
        assert f"- Chen Dongxiao, {institution[code]}" in event["description"], code
        # the state of a speaker without an institution, named at sending in their language
        assert f"- Elnur Aliyev, {STATE[code]}" in event["description"], code
        if code != "en":
            assert event["languages"]["summary"] == code


def _kazakh_description(panel: Panel) -> str:
    event = ical.panel_event(
        panel,
        base_url="http://localhost",
        stamp=panel.updated_at,
        include_join_link=False,
        language="kk",
    )
    return str(event["DESCRIPTION"])


def test_the_snapshot_keeps_a_members_code_and_reads_older_ones(
    app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> None:
    """The snapshot keeps a member's code, so a CANCEL names it in the attendee's language;
    snapshots written before held its English name alone, which their CANCELs still say."""
    panel_id = make_panel(make_conference(slug="ttf9"))
    with app.app_context():
        panel = db.session.get_one(Panel, panel_id)
        azerbaijan = db.session.execute(db.select(Member).filter_by(code="AZE")).scalar_one()
        envoy = Person(name="Elnur Aliyev", member=azerbaijan)
        panel.roles.append(PanelPerson(person=envoy, role=PanelRole.SPEAKER))
        db.session.flush()
        saved = removal.snapshot(panel)
        db.session.rollback()
    [person] = saved["people"]
    assert person["member"] == {"code": "AZE", "kind": "member_state", "name": "Azerbaijan"}
    assert "- Elnur Aliyev, Әзірбайжан" in _kazakh_description(removal.panel_from(saved))
    person["member"] = "Azerbaijan"  # as snapshots written before held it
    assert "- Elnur Aliyev, Azerbaijan" in _kazakh_description(removal.panel_from(saved))
