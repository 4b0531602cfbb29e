"""The panel form: title, time on one conference day, room, join link, and its people
typed one a line ('Name — Position, Institution')."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    Field,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from registration.conferences import panels as panel_services
from registration.conferences import services
from registration.conferences.form_input import exists_locally, http_url, lines_of, text_of, to_utc
from registration.conferences.models import Conference, Panel, PanelKind, Person
from registration.conferences.panels import PanelData, PersonLine
from registration.conferences.text_fields import (
    in_languages,
    initial,
    main_text,
    require_main,
    translations,
)
from registration.directory.models import Institution
from registration.i18n import page_language, strftime
from registration.input_policy import PolicyForm, column_length

# a spaced hyphen, or an en or em dash with or without spaces
PERSON_SEPARATOR = re.compile("\\s+[\u2014\u2013-]\\s+|\\s*[\u2014\u2013]\\s*")


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


def _lines(people: list[Person]) -> str:
    """The people one a line, their institutions named in the page's language."""
    return "\n".join(panel_services.person_line(p, page_language()) for p in people)


class PanelForm(PolicyForm):
    title, title_ru, title_kk = in_languages(StringField, _l("Title"), column_length(Panel.title))
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k.value, _l(k.label)) for k in PanelKind],
        default=PanelKind.PANEL.value,
    )
    theme, theme_ru, theme_kk = in_languages(TextAreaField, _l("Theme"))
    day = DateField(_l("Day"), validators=[InputRequired(message=_l("Choose the day."))])
    starts = TimeField(_l("Starts (local time)"), validators=[InputRequired()])
    ends = TimeField(_l("Ends (local time)"), validators=[InputRequired()])
    room, room_ru, room_kk = in_languages(StringField, _l("Room"), column_length(Panel.room))
    join_url = URLField(
        _l("Online join link (not shown publicly)"),
        validators=[Length(max=column_length(Panel.join_url)), http_url],
    )
    moderators = TextAreaField(_l("Moderators (one per line: Name — Position, Institution)"))
    speakers = TextAreaField(_l("Speakers (one per line: Name — Position, Institution)"))

    def __init__(
        self, *args: Any, conference: Conference, panel: Panel | None = None, **kwargs: Any
    ) -> None:
        if "data" not in kwargs:
            kwargs["data"] = self._initial(conference, panel)
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.panel = panel
        language = page_language()
        self.people_lines = [panel_services.person_line(p, language) for p in services.all_people()]

    @staticmethod
    def _initial(conference: Conference, panel: Panel | None) -> dict[str, Any]:
        if panel is None:
            return {"day": conference.local(conference.starts_at).date()}
        starts, ends = conference.local(panel.starts_at), conference.local(panel.ends_at)
        return {
            **initial(panel, Panel.TRANSLATED),
            "kind": panel.kind.value,
            "day": starts.date(),
            "starts": starts.time(),
            "ends": ends.time(),
            "join_url": panel.join_url,
            "moderators": _lines(panel.moderators),
            "speakers": _lines(panel.speakers),
        }

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        day, starts, ends = self.day.data, self.starts.data, self.ends.data
        zone = self.conference.timezone
        if starts and ends and ends <= starts:
            self.ends.errors.append(gettext("The end must be after the start."))
        if day:
            first, last = services.conference_days(self.conference)
            if not first <= day <= last:
                self.day.errors.append(
                    gettext(
                        "The panel must take place within the conference's dates, "
                        "%(first)s to %(last)s.",
                        first=strftime(first, "%d %B %Y"),
                        last=strftime(last, "%d %B %Y"),
                    )
                )
            for when_field, when in ((self.starts, starts), (self.ends, ends)):
                if when and not exists_locally(datetime.combine(day, when), zone):
                    when_field.errors.append(
                        gettext(
                            "This time does not exist in %(zone)s (clocks go forward).", zone=zone
                        )
                    )
        for people_field in (self.moderators, self.speakers):
            self._check_people(people_field)
        require_main(self, "title", self.conference.language)
        return valid and not any(f.errors for f in self)

    @staticmethod
    def _check_people(people_field: Field) -> None:
        name_max = column_length(Person.name)
        position_max = column_length(Person.position)
        institution_max = column_length(Institution.name)
        for number, line in enumerate(lines_of(people_field.data), start=1):
            person = parse_person(line)
            if not person.name:
                people_field.errors.append(
                    gettext("Line %(number)s: the name is missing.", number=number)
                )
            elif len(person.name) > name_max:
                people_field.errors.append(
                    gettext(
                        "Line %(number)s: the name is too long (%(most)s at most).",
                        number=number,
                        most=name_max,
                    )
                )
            elif len(person.position) > position_max:
                people_field.errors.append(
                    gettext(
                        "Line %(number)s: the position is too long (%(most)s at most).",
                        number=number,
                        most=position_max,
                    )
                )
            elif len(person.institution) > institution_max:
                people_field.errors.append(
                    gettext(
                        "Line %(number)s: the institution is too long (%(most)s at most).",
                        number=number,
                        most=institution_max,
                    )
                )

    def _instant(self, day: date, when: time) -> datetime:
        return to_utc(datetime.combine(day, when), self.conference.timezone)

    def to_data(self) -> PanelData:
        day, main = self.day.data, self.conference.language
        return PanelData(
            title=main_text(self, "title", main),
            kind=PanelKind(self.kind.data),
            theme=main_text(self, "theme", main),
            starts_at=self._instant(day, self.starts.data),
            ends_at=self._instant(day, self.ends.data),
            room=main_text(self, "room", main),
            join_url=text_of(self.join_url.data),
            translations=translations(self, Panel.TRANSLATED, main),
            moderators=[parse_person(line) for line in lines_of(self.moderators.data)],
            speakers=[parse_person(line) for line in lines_of(self.speakers.data)],
        )
