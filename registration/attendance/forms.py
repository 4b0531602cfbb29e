"""Forms of the attendance pages: meeting-report upload and its confirmation."""

from __future__ import annotations

import base64
import binascii
import zlib
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from registration.attendance.models import AttendanceSource
from registration.i18n import N_
from registration.input_policy import PolicyForm, known_time_zone

PLATFORMS = [
    SelectChoice(AttendanceSource.ZOOM_REPORT.value, _l("Zoom — participants report (CSV)")),
    SelectChoice(
        AttendanceSource.TEAMS_REPORT.value, _l("Microsoft Teams — attendance report (CSV)")
    ),
]


def _zone(form: PolicyForm, field: SelectField) -> None:
    if known_time_zone(field.data) is None:
        raise ValidationError(_l("Choose a time zone from the list."))


class ReportUploadForm(PolicyForm):
    platform = SelectField(_l("Meeting platform"), choices=PLATFORMS)
    timezone = SelectField(
        _l("Time zone of the times in the report"),
        validators=[_zone],
        render_kw={"translate": "no"},  # IANA names: identifiers, the same in every language
        description=_l("Zoom and Teams write times in the time zone of the account that exported."),
    )
    report = FileField(_l("Report file"), validators=[FileRequired(_l("Choose the report file."))])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = [SelectChoice(zone) for zone in sorted(available_timezones())]


def pack(content: bytes) -> str:
    """The report for the hidden field: compressed (reports shrink ~10x), then base64.

    Keeps a large report under Werkzeug's 500 kB limit for a non-file form field.
    """
    return base64.b64encode(zlib.compress(content, 9)).decode()


# The packed report is bounded by the request's size limit (UPLOAD_MAX_MB) before this
# form sees it; the declared maximum only keeps the policy's rule that every field has one.
PACKED_MAX = 64 * 1024 * 1024
DAMAGED = N_("The preview expired or was damaged; upload the report again.")


class ReportConfirmForm(PolicyForm):
    """The previewed report, carried back so that confirming records exactly what was shown."""

    platform = HiddenField()
    timezone = HiddenField()
    content = HiddenField(validators=[Length(max=PACKED_MAX)])

    def decoded(self, limit: int) -> tuple[AttendanceSource, ZoneInfo, bytes]:
        """Platform, zone and report; the report unpacks to at most `limit` bytes."""
        zone = known_time_zone(self.timezone.data)
        try:
            source = AttendanceSource(self.platform.data)
            unpacker = zlib.decompressobj()
            data = unpacker.decompress(
                base64.b64decode(self.content.data or "", validate=True), limit + 1
            )
        except (ValueError, binascii.Error, zlib.error) as error:
            raise ValueError(DAMAGED) from error
        if zone is None or not unpacker.eof or len(data) > limit:
            raise ValueError(DAMAGED)
        if source not in {AttendanceSource.ZOOM_REPORT, AttendanceSource.TEAMS_REPORT}:
            raise ValueError(N_("Unknown platform; upload the report again."))
        return source, zone, data
