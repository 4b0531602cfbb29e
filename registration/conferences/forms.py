"""Forms for series and conferences (panels: `panel_form`); they turn typed local times into
UTC data."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    Field,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
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
from registration.conferences.form_input import (
    exists_locally,
    http_url,
    lines_of,
    text_of,
    to_utc,
)
from registration.conferences.institutions import (
    InstitutionData,
    all_institutions,
    institution_names_in_every_language,
)
from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    Series,
)
from registration.conferences.services import SLUG_PATTERN, ConferenceData, SeriesData
from registration.conferences.text_fields import (
    field_name,
    in_languages,
    initial,
    language_field,
    main_text,
    named_choices,
    require_main,
    translations,
)
from registration.directory.models import Institution
from registration.i18n import ngettext
from registration.input_policy import PolicyForm, column_length, known_time_zone
from registration.stored_text import TEXT_LANGUAGES

SLUG_MESSAGE = _l("Use lowercase letters, digits and single hyphens only.")
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
FORMAT_LABELS = {
    ConferenceFormat.ONLINE: _l("Online"),
    ConferenceFormat.IN_PERSON: _l("In person"),
    ConferenceFormat.HYBRID: _l("Hybrid (in person and online)"),
}


def _refuse_taken_slug(slug: str) -> None:
    """Shown next to the slug field when another record already uses that address."""
    raise ValidationError(
        gettext("The address “%(slug)s” is already taken; choose another one.", slug=slug)
    )


class SeriesForm(PolicyForm):
    language = language_field()
    name, name_ru, name_kk = in_languages(
        StringField, _l("Series name"), column_length(Series.name)
    )
    short_name = StringField(
        _l("Short name"), validators=[Optional(), Length(max=column_length(Series.short_name))]
    )
    slug = StringField(
        _l("Web address (slug)"),
        validators=[
            Optional(),
            Length(max=column_length(Series.slug)),
            Regexp(SLUG_PATTERN, message=SLUG_MESSAGE),
        ],
    )
    description, description_ru, description_kk = in_languages(TextAreaField, _l("Description"))

    def __init__(self, *args: Any, series: Series | None = None, **kwargs: Any) -> None:
        if series is not None and "data" not in kwargs:
            kwargs["data"] = {
                **initial(series, Series.TRANSLATED),
                "language": series.language,
                "short_name": series.short_name or "",
                "slug": series.slug,
            }
        super().__init__(*args, **kwargs)
        self.series = series

    def validate_slug(self, slug_field: Field) -> None:
        slug = text_of(slug_field.data)
        current = self.series.id if self.series else None
        if slug and services.slug_in_use(slug, Series, current):
            _refuse_taken_slug(slug)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        require_main(self, "name", self.language.data)
        return valid and not any(f.errors for f in self)

    def to_data(self) -> SeriesData:
        main = self.language.data
        return SeriesData(
            name=main_text(self, "name", main),
            short_name=text_of(self.short_name.data) or None,
            slug=text_of(self.slug.data) or None,
            description=main_text(self, "description", main),
            language=main,
            translations=translations(self, Series.TRANSLATED, main),
        )


class InstitutionForm(PolicyForm):
    language = language_field(_l("Main language of the name"))
    name, name_ru, name_kk = in_languages(
        StringField, _l("Name of the institution"), column_length(Institution.name)
    )
    short_name = StringField(
        _l("Short name"),
        validators=[Optional(), Length(max=column_length(Institution.short_name))],
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        if "data" not in kwargs:
            kwargs["data"] = {
                **initial(institution, Institution.TRANSLATED),
                "language": institution.language,
                "short_name": institution.short_name or "",
            }
        super().__init__(*args, **kwargs)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        require_main(self, "name", self.language.data)
        return valid and not any(f.errors for f in self)

    def to_data(self) -> InstitutionData:
        main = self.language.data
        return InstitutionData(
            name=main_text(self, "name", main),
            language=main,
            short_name=text_of(self.short_name.data) or None,
            translations=translations(self, Institution.TRANSLATED, main),
        )


class ConferenceForm(PolicyForm):
    language = language_field(_l("Main language of the texts"))
    title, title_ru, title_kk = in_languages(
        StringField, _l("Title"), column_length(Conference.title)
    )
    slug = StringField(
        _l("Web address (slug)"),
        validators=[
            Optional(),
            Length(max=column_length(Conference.slug)),
            Regexp(SLUG_PATTERN, message=SLUG_MESSAGE),
        ],
    )
    theme, theme_ru, theme_kk = in_languages(TextAreaField, _l("Theme"))
    description, description_ru, description_kk = in_languages(TextAreaField, _l("Description"))
    series_id = SelectField(_l("Series"), coerce=int, default=0)
    number = IntegerField(
        _l("Meeting number"), validators=[Optional(), NumberRange(min=1, max=1000)]
    )
    host, host_ru, host_kk = in_languages(
        StringField, _l("Host institution"), column_length(Institution.name)
    )
    co_organizers = SelectMultipleField(_l("Co-organising institutions"), choices=[])
    new_co_organizers = TextAreaField(_l("Other co-organisers (new names, one per line)"))
    format = SelectField(
        _l("Format"),
        choices=[SelectChoice(f.value, label) for f, label in FORMAT_LABELS.items()],
        default=ConferenceFormat.IN_PERSON.value,
    )
    venue, venue_ru, venue_kk = in_languages(
        StringField, _l("Venue"), column_length(Conference.venue)
    )
    city, city_ru, city_kk = in_languages(StringField, _l("City"), column_length(Conference.city))
    timezone = StringField(
        _l("Time zone"), validators=[DataRequired(), Length(max=column_length(Conference.timezone))]
    )
    starts_at = DateTimeLocalField(
        _l("Starts (local time)"), format=LOCAL_FORMATS, validators=[InputRequired()]
    )
    ends_at = DateTimeLocalField(
        _l("Ends (local time)"), format=LOCAL_FORMATS, validators=[InputRequired()]
    )
    online_url = URLField(
        _l("Main online link (public: livestream or event page)"),
        validators=[Length(max=column_length(Conference.online_url)), http_url],
    )

    def __init__(self, *args: Any, conference: Conference | None = None, **kwargs: Any) -> None:
        if conference is not None and "data" not in kwargs:
            kwargs["data"] = self._initial(conference)
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.series_id.choices = [
            SelectChoice(0, gettext("— none —")),
            *named_choices(services.all_series(), "name", lambda s: s.id),
        ]
        # The host's fields suggest every known name in every language; the co-organisers
        # are shown in the page's language and chosen by their main names (what is stored).
        self.institution_names = institution_names_in_every_language()
        self.co_organizers.choices = named_choices(all_institutions(), "name", lambda i: i.name)

    @staticmethod
    def _initial(conference: Conference) -> dict[str, Any]:
        zone = conference.zone
        return {
            **initial(conference, Conference.TRANSLATED),
            "language": conference.language,
            "slug": conference.slug,
            "series_id": conference.series_id or 0,
            "number": conference.number,
            **{
                field_name("host", code): conference.host.translation("name", code)
                if conference.host
                else ""
                for code in TEXT_LANGUAGES
            },
            "co_organizers": [i.name for i in services.co_organizers(conference)],
            "format": conference.format.value,
            "timezone": conference.timezone,
            "starts_at": conference.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends_at": conference.ends_at.astimezone(zone).replace(tzinfo=None),
            "online_url": conference.online_url,
        }

    def validate_slug(self, slug_field: Field) -> None:
        slug = text_of(slug_field.data)
        current = self.conference.id if self.conference else None
        if slug and services.slug_in_use(slug, Conference, current):
            _refuse_taken_slug(slug)

    def validate_timezone(self, zone_field: Field) -> None:
        zone_field.data = text_of(zone_field.data)
        if known_time_zone(zone_field.data) is None:
            raise ValidationError(
                gettext(
                    "Unknown time zone: choose an IANA name from the list, such as Asia/Shanghai."
                )
            )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        starts, ends, zone = self.starts_at.data, self.ends_at.data, self.timezone.data
        if starts and ends and ends <= starts:
            self.ends_at.errors.append(gettext("The end must be after the start."))
        zone_ok = not self.timezone.errors and bool(zone)
        if zone_ok:
            for when in (self.starts_at, self.ends_at):
                if when.data and not exists_locally(when.data, zone):
                    when.errors.append(
                        gettext(
                            "This time does not exist in %(zone)s (clocks go forward).", zone=zone
                        )
                    )
        main = self.language.data
        require_main(self, "title", main)
        needs_venue = self.format.data in {ConferenceFormat.IN_PERSON, ConferenceFormat.HYBRID}
        if needs_venue and not main_text(self, "venue", main):
            self[field_name("venue", main)].errors.append(
                gettext("An in-person or hybrid conference needs a venue (in the main language).")
            )
        longest = column_length(Institution.name)
        if any(len(line) > longest for line in lines_of(self.new_co_organizers.data)):
            self.new_co_organizers.errors.append(
                gettext("A name is too long (%(most)s characters at most).", most=longest)
            )
        if self.number.data and not self.series_id.data:
            self.number.errors.append(gettext("Choose the series this meeting number belongs to."))
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
                ngettext(
                    "%(num)s panel would fall outside these dates (%(titles)s); move it first.",
                    "%(num)s panels would fall outside these dates (%(titles)s); move them first.",
                    len(outside),
                    titles=titles,
                )
            )

    def to_data(self) -> ConferenceData:
        zone, main = self.timezone.data, self.language.data
        new_names = lines_of(self.new_co_organizers.data)
        return ConferenceData(
            title=main_text(self, "title", main),
            slug=text_of(self.slug.data) or None,
            theme=main_text(self, "theme", main),
            description=main_text(self, "description", main),
            series_id=self.series_id.data or None,
            number=self.number.data if self.series_id.data else None,
            host=main_text(self, "host", main),
            host_names={code: main_text(self, "host", code) for code in TEXT_LANGUAGES},
            co_organizers=list(self.co_organizers.data or []) + new_names,
            format=ConferenceFormat(self.format.data),
            venue=main_text(self, "venue", main),
            city=main_text(self, "city", main),
            timezone=zone,
            starts_at=to_utc(self.starts_at.data, zone),
            ends_at=to_utc(self.ends_at.data, zone),
            online_url=text_of(self.online_url.data),
            language=main,
            translations=translations(self, Conference.TRANSLATED, main),
        )


class ConfirmForm(PolicyForm):
    """No fields: a CSRF-protected button for publish, cancel, remove and move."""
