"""Programmes for calendar tests and benchmarks: many panels with speakers and moderators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from registration.calendars.services import feed_key
from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    ConferenceStatus,
    Panel,
    PanelPerson,
    PanelRole,
    Person,
    Series,
)
from registration.database import db
from registration.directory.models import Institution, Member
from registration.signup.models import (
    AttendanceMode,
    Registration,
    RegistrationPanel,
    RegistrationStatus,
)

START = datetime(2030, 6, 1, 2, 0, tzinfo=UTC)


def people(count: int, prefix: str = "") -> list[Person]:
    """`count` people spread over ten institutions named with `prefix`."""
    institutions = [
        Institution(name=f"{prefix}Institute for Strategic Studies {i}") for i in range(10)
    ]
    found = [
        Person(
            name=f"Speaker {i}",
            honorific="Dr",
            position="Senior Fellow",
            institution=institutions[i % len(institutions)],
        )
        for i in range(count)
    ]
    db.session.add_all(found)
    return found


def add_panels(conference: Conference, count: int, speakers: list[Person]) -> None:
    """`count` panels of an hour, three speakers and a moderator each."""
    for i in range(count):
        starts_at = conference.starts_at + timedelta(hours=i % 10, days=i // 10)
        panel = Panel(
            conference=conference,
            position=i,
            title=f"Panel {i}: confidence building, security; cooperation",
            theme="Economic, environmental and human dimensions of security in Asia.",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=50),
            room=f"Hall {i % 4 + 1}",
        )
        for position, role in enumerate((PanelRole.MODERATOR, *[PanelRole.SPEAKER] * 3)):
            person = speakers[(i * 4 + position) % len(speakers)]
            panel.roles.append(PanelPerson(person=person, role=role, position=position))
        db.session.add(panel)


def big_conference(panels: int = 1000, slug: str = "big-forum") -> int:
    """A published hybrid conference with `panels` panels; returns its id."""
    conference = Conference(
        slug=slug,
        title="Big Forum",
        timezone="Asia/Almaty",
        starts_at=START,
        ends_at=START + timedelta(days=panels // 10 + 1),
        format=ConferenceFormat.HYBRID,
        status=ConferenceStatus.PUBLISHED,
        venue="Palace of Peace and Reconciliation",
        city="Astana",
        online_url="https://meet.example/forum",
    )
    db.session.add(conference)
    add_panels(conference, panels, people(200))
    db.session.commit()
    return conference.id


def big_series(conferences: int = 50, panels_each: int = 20, slug: str = "ttf") -> int:
    """A series of `conferences` published meetings; returns the series id."""
    series = Series(slug=slug, name="CICA Think Tank Forum", description="Every meeting")
    speakers = people(200, prefix=f"{slug} ")
    for n in range(conferences):
        starts_at = START + timedelta(days=30 * n)
        conference = Conference(
            slug=f"{slug}-{n + 1}",
            title=f"Meeting {n + 1} of the CICA Think Tank Forum",
            series=series,
            number=n + 1,
            timezone=("Asia/Shanghai", "Europe/Moscow", "Asia/Tehran")[n % 3],
            starts_at=starts_at,
            ends_at=starts_at + timedelta(days=2),
            format=ConferenceFormat.IN_PERSON,
            status=ConferenceStatus.PUBLISHED,
            venue="Conference centre",
            city="Shanghai",
        )
        db.session.add(conference)
        add_panels(conference, panels_each, speakers)
    db.session.add(series)
    db.session.commit()
    return series.id


def register(
    conference_id: int,
    panel_ids: list[int],
    *,
    email: str = "aigerim@mfa.example",
    status: str = "approved",
) -> tuple[int, str]:
    """A registration attending the given panels; returns (id, personal feed key)."""
    member = db.session.scalars(db.select(Member).order_by(Member.id)).first()
    assert member is not None, "use the `members` fixture"
    registration = Registration(
        conference_id=conference_id,
        member_id=member.id,
        email=email,
        name="Aigerim Sadykova",
        mode=AttendanceMode.ONLINE,
        status=RegistrationStatus(status),
        panel_links=[RegistrationPanel(panel_id=panel_id) for panel_id in panel_ids],
    )
    db.session.add(registration)
    db.session.commit()
    return registration.id, feed_key(registration)


def change_panel(panel_id: int, *, bump: bool = True, **fields: object) -> None:
    """Edit a panel as the conference services do: sequence up for time, place or status;
    `updated_at` of the panel and its conference moved (also when only its people changed)."""
    panel = db.session.get_one(Panel, panel_id)
    for name, value in fields.items():
        setattr(panel, name, value)
    if bump:
        panel.sequence += 1
    panel.updated_at = panel.conference.updated_at = datetime.now(UTC)
    db.session.commit()
