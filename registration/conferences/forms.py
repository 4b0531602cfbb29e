"""Forms for series, conferences and panels; they turn typed local times into UTC data."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, available_timezones

from wtforms import (
    DateField,
    DateTimeLocalField,
    Field,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from registration.conferences import services
from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    Panel,
    PanelKind,
    Person,
    Series,
)
from registration.conferences.services import (
    SLUG_PATTERN,
    ConferenceData,
    PanelData,
    PersonLine,
    SeriesData,
)
from registration.directory.models import Institution
from registration.input_policy import PolicyForm, column_length, known_time_zone

SLUG_MESSAGE = "Use lowercase letters, digits and single hyphens only."
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
# a spaced hyphen, or an en or em dash with or without spaces
PERSON_SEPARATOR = re.compile("\\s+[\u2014\u2013-]\\s+|\\s*[\u2014\u2013]\\s*")
FORMAT_LABELS = {
    ConferenceFormat.ONLINE: "Online",
    ConferenceFormat.IN_PERSON: "In person",
    ConferenceFormat.HYBRID: "Hybrid (in person and online)",
}


@cache
def timezone_names() -> list[str]:
    """Every IANA time zone name this machine knows, sorted."""
    return sorted(available_timezones())


def _text(value: str | None) -> str:
    return (value or "").strip()


def _lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def http_url(form: PolicyForm, url_field: Field) -> None:
    """An optional link that must start with http:// or https://."""
    value = _text(url_field.data)
    url_field.data = value
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValidationError("Enter a full link starting with http:// or https://.")


def _to_utc(local: datetime, zone: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _exists_locally(local: datetime, zone: str) -> bool:
    """False for a wall-clock time skipped when the clocks go forward."""
    round_trip = _to_utc(local, zone).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    return round_trip == local


def _refuse_taken_slug(slug: str) -> None:
    """Shown next to the slug field when another record already uses that address."""
    raise ValidationError(f"The address “{slug}” is already taken; choose another one.")


class SeriesForm(PolicyForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=column_length(Series.name))])
    short_name = StringField(
        "Short name", validators=[Optional(), Length(max=column_length(Series.short_name))]
    )
    slug = StringField(
        "Web address (slug)",
        validators=[
            Optional(),
            Length(max=column_length(Series.slug)),
            Regexp(SLUG_PATTERN, message=SLUG_MESSAGE),
        ],
    )
    description = TextAreaField("Description", validators=[Optional()])

    def __init__(self, *args: Any, series: Series | None = None, **kwargs: Any) -> None:
        if series is not None and "data" not in kwargs:
            kwargs["data"] = {
                "name": series.name,
                "short_name": series.short_name or "",
                "slug": series.slug,
                "description": series.description,
            }
        super().__init__(*args, **kwargs)
        self.series = series

    def validate_slug(self, slug_field: Field) -> None:
        slug = _text(slug_field.data)
        current = self.series.id if self.series else None
        if slug and services.slug_in_use(slug, Series, current):
            _refuse_taken_slug(slug)

    def to_data(self) -> SeriesData:
        return SeriesData(
            name=_text(self.name.data),
            short_name=_text(self.short_name.data) or None,
            slug=_text(self.slug.data) or None,
            description=_text(self.description.data),
        )


class ConferenceForm(PolicyForm):
    title = StringField(
        "Title", validators=[DataRequired(), Length(max=column_length(Conference.title))]
    )
    slug = StringField(
        "Web address (slug)",
        validators=[
            Optional(),
            Length(max=column_length(Conference.slug)),
            Regexp(SLUG_PATTERN, message=SLUG_MESSAGE),
        ],
    )
    theme = TextAreaField("Theme", validators=[Optional()])
    description = TextAreaField("Description", validators=[Optional()])
    series_id = SelectField("Series", coerce=int, default=0)
    number = IntegerField("Meeting number", validators=[Optional(), NumberRange(min=1, max=1000)])
    host = StringField(
        "Host institution", validators=[Optional(), Length(max=column_length(Institution.name))]
    )
    co_organizers = SelectMultipleField("Co-organising institutions", choices=[])
    new_co_organizers = TextAreaField("Other co-organisers (new names, one per line)")
    format = SelectField(
        "Format",
        choices=[SelectChoice(f.value, label) for f, label in FORMAT_LABELS.items()],
        default=ConferenceFormat.IN_PERSON.value,
    )
    venue = StringField(
        "Venue", validators=[Optional(), Length(max=column_length(Conference.venue))]
    )
    city = StringField("City", validators=[Optional(), Length(max=column_length(Conference.city))])
    timezone = StringField(
        "Time zone", validators=[DataRequired(), Length(max=column_length(Conference.timezone))]
    )
    starts_at = DateTimeLocalField(
        "Starts (local time)", format=LOCAL_FORMATS, validators=[InputRequired()]
    )
    ends_at = DateTimeLocalField(
        "Ends (local time)", format=LOCAL_FORMATS, validators=[InputRequired()]
    )
    online_url = URLField(
        "Main online link (public: livestream or event page)",
        validators=[Length(max=column_length(Conference.online_url)), http_url],
    )

    def __init__(self, *args: Any, conference: Conference | None = None, **kwargs: Any) -> None:
        if conference is not None and "data" not in kwargs:
            kwargs["data"] = self._initial(conference)
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.series_id.choices = [SelectChoice(0, "— none —")] + [
            SelectChoice(s.id, s.name) for s in services.all_series()
        ]
        names = services.institution_names()
        self.institution_names = names
        self.co_organizers.choices = [SelectChoice(name) for name in names]

    @staticmethod
    def _initial(conference: Conference) -> dict[str, Any]:
        zone = conference.zone
        return {
            "title": conference.title,
            "slug": conference.slug,
            "theme": conference.theme,
            "description": conference.description,
            "series_id": conference.series_id or 0,
            "number": conference.number,
            "host": conference.host.name if conference.host else "",
            "co_organizers": [i.name for i in services.co_organizers(conference)],
            "format": conference.format.value,
            "venue": conference.venue,
            "city": conference.city,
            "timezone": conference.timezone,
            "starts_at": conference.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends_at": conference.ends_at.astimezone(zone).replace(tzinfo=None),
            "online_url": conference.online_url,
        }

    def validate_slug(self, slug_field: Field) -> None:
        slug = _text(slug_field.data)
        current = self.conference.id if self.conference else None
        if slug and services.slug_in_use(slug, Conference, current):
            _refuse_taken_slug(slug)

    def validate_timezone(self, zone_field: Field) -> None:
        zone_field.data = _text(zone_field.data)
        if known_time_zone(zone_field.data) is None:
            raise ValidationError(
                "Unknown time zone: choose an IANA name from the list, such as Asia/Shanghai."
            )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        starts, ends, zone = self.starts_at.data, self.ends_at.data, self.timezone.data
        if starts and ends and ends <= starts:
            self.ends_at.errors.append("The end must be after the start.")
        zone_ok = not self.timezone.errors and bool(zone)
        if zone_ok:
            for when in (self.starts_at, self.ends_at):
                if when.data and not _exists_locally(when.data, zone):
                    when.errors.append(f"This time does not exist in {zone} (clocks go forward).")
        needs_venue = self.format.data in {ConferenceFormat.IN_PERSON, ConferenceFormat.HYBRID}
        if needs_venue and not _text(self.venue.data):
            self.venue.errors.append("An in-person or hybrid conference needs a venue.")
        longest = column_length(Institution.name)
        if any(len(line) > longest for line in _lines(self.new_co_organizers.data)):
            self.new_co_organizers.errors.append(
                f"A name is too long ({longest} characters at most)."
            )
        if self.number.data and not self.series_id.data:
            self.number.errors.append("Choose the series this meeting number belongs to.")
        if zone_ok and starts and ends and ends > starts and self.conference is not None:
            self._check_panels_fit(starts.date(), ends.date())
        return valid and not any(f.errors for f in self)

    def _check_panels_fit(self, first: date, last: date) -> None:
        """Panels keep their wall-clock times, also when the time zone changes."""
        conference = self.conference
        panels = conference.panels if conference else []
        outside = [p for p in panels if not first <= conference.local(p.starts_at).date() <= last]
        if outside:
            titles = ", ".join(p.title for p in outside[:3])
            self.ends_at.errors.append(
                f"{len(outside)} panel(s) would fall outside these dates ({titles}); "
                "move them first."
            )

    def to_data(self) -> ConferenceData:
        zone = self.timezone.data
        new_names = _lines(self.new_co_organizers.data)
        return ConferenceData(
            title=_text(self.title.data),
            slug=_text(self.slug.data) or None,
            theme=_text(self.theme.data),
            description=_text(self.description.data),
            series_id=self.series_id.data or None,
            number=self.number.data if self.series_id.data else None,
            host=_text(self.host.data),
            co_organizers=list(self.co_organizers.data or []) + new_names,
            format=ConferenceFormat(self.format.data),
            venue=_text(self.venue.data),
            city=_text(self.city.data),
            timezone=zone,
            starts_at=_to_utc(self.starts_at.data, zone),
            ends_at=_to_utc(self.ends_at.data, zone),
            online_url=_text(self.online_url.data),
        )


def parse_person(line: str) -> PersonLine:
    """'Name — Position, Institution' (the part after the last comma is the institution)."""
    name, _, rest = (part.strip() for part in _split_once(line))
    position, comma, institution = rest.rpartition(",")
    if not comma:
        position, institution = rest, ""
    return PersonLine(name=name, position=position.strip(), institution=institution.strip())


def _split_once(line: str) -> tuple[str, str, str]:
    match = PERSON_SEPARATOR.search(line)
    if match is None:
        return line, "", ""
    return line[: match.start()], match.group(), line[match.end() :]


class PanelForm(PolicyForm):
    title = StringField(
        "Title", validators=[DataRequired(), Length(max=column_length(Panel.title))]
    )
    kind = SelectField(
        "Kind",
        choices=[SelectChoice(k.value, k.label) for k in PanelKind],
        default=PanelKind.PANEL.value,
    )
    theme = TextAreaField("Theme", validators=[Optional()])
    day = DateField("Day", validators=[InputRequired(message="Choose the day.")])
    starts = TimeField("Starts (local time)", validators=[InputRequired()])
    ends = TimeField("Ends (local time)", validators=[InputRequired()])
    room = StringField("Room", validators=[Optional(), Length(max=column_length(Panel.room))])
    join_url = URLField(
        "Online join link (not shown publicly)",
        validators=[Length(max=column_length(Panel.join_url)), http_url],
    )
    moderators = TextAreaField("Moderators (one per line: Name — Position, Institution)")
    speakers = TextAreaField("Speakers (one per line: Name — Position, Institution)")

    def __init__(
        self, *args: Any, conference: Conference, panel: Panel | None = None, **kwargs: Any
    ) -> None:
        if "data" not in kwargs:
            kwargs["data"] = self._initial(conference, panel)
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.panel = panel
        self.people_lines = [services.person_line(p) for p in services.all_people()]

    @staticmethod
    def _initial(conference: Conference, panel: Panel | None) -> dict[str, Any]:
        if panel is None:
            return {"day": conference.local(conference.starts_at).date()}
        starts, ends = conference.local(panel.starts_at), conference.local(panel.ends_at)
        return {
            "title": panel.title,
            "kind": panel.kind.value,
            "theme": panel.theme,
            "day": starts.date(),
            "starts": starts.time(),
            "ends": ends.time(),
            "room": panel.room,
            "join_url": panel.join_url,
            "moderators": "\n".join(services.person_line(p) for p in panel.moderators),
            "speakers": "\n".join(services.person_line(p) for p in panel.speakers),
        }

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        day, starts, ends = self.day.data, self.starts.data, self.ends.data
        zone = self.conference.timezone
        if starts and ends and ends <= starts:
            self.ends.errors.append("The end must be after the start.")
        if day:
            first, last = services.conference_days(self.conference)
            if not first <= day <= last:
                self.day.errors.append(
                    "The panel must take place within the conference's dates, "
                    f"{first:%d %B %Y} to {last:%d %B %Y}."
                )
            for when_field, when in ((self.starts, starts), (self.ends, ends)):
                if when and not _exists_locally(datetime.combine(day, when), zone):
                    when_field.errors.append(
                        f"This time does not exist in {zone} (clocks go forward)."
                    )
        for people_field in (self.moderators, self.speakers):
            self._check_people(people_field)
        return valid and not any(f.errors for f in self)

    @staticmethod
    def _check_people(people_field: Field) -> None:
        name_max = column_length(Person.name)
        position_max = column_length(Person.position)
        institution_max = column_length(Institution.name)
        for number, line in enumerate(_lines(people_field.data), start=1):
            person = parse_person(line)
            if not person.name:
                people_field.errors.append(f"Line {number}: the name is missing.")
            elif len(person.name) > name_max:
                people_field.errors.append(
                    f"Line {number}: the name is too long ({name_max} at most)."
                )
            elif len(person.position) > position_max:
                people_field.errors.append(
                    f"Line {number}: the position is too long ({position_max} at most)."
                )
            elif len(person.institution) > institution_max:
                people_field.errors.append(
                    f"Line {number}: the institution is too long ({institution_max} at most)."
                )

    def _instant(self, day: date, when: time) -> datetime:
        return _to_utc(datetime.combine(day, when), self.conference.timezone)

    def to_data(self) -> PanelData:
        day = self.day.data
        return PanelData(
            title=_text(self.title.data),
            kind=PanelKind(self.kind.data),
            theme=_text(self.theme.data),
            starts_at=self._instant(day, self.starts.data),
            ends_at=self._instant(day, self.ends.data),
            room=_text(self.room.data),
            join_url=_text(self.join_url.data),
            moderators=[parse_person(line) for line in _lines(self.moderators.data)],
            speakers=[parse_person(line) for line in _lines(self.speakers.data)],
        )


class ConfirmForm(PolicyForm):
    """No fields: a CSRF-protected button for publish, cancel, remove and move."""
