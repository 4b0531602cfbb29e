"""Badges of a registration: a QR code with a signed payload, as SVG, PNG, mail attachment, PDF."""

from __future__ import annotations

import io

import segno
from flask_babel import gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from registration import files
from registration import signed_tokens as tokens
from registration.directory.services import member_name
from registration.i18n import in_language, translate
from registration.mail.compose import Attachment
from registration.pdf import draw_qr, fit_text, fonts
from registration.signup import photos
from registration.signup.models import Registration


def badge_payload(registration: Registration) -> str:
    return tokens.badge_payload(registration.id, registration.conference_id)


def _qr(registration: Registration) -> segno.QRCode:
    return segno.make_qr(badge_payload(registration), error="m")


def qr_svg(registration: Registration, scale: int = 4) -> str:
    """The QR code as an inline <svg> element (no style attributes, CSP-safe), its <title>
    (what a screen reader announces) in the page's language."""
    title = gettext("Badge QR code")
    return _qr(registration).svg_inline(
        scale=scale, border=2, omitsize=True, title=title, svgclass="badge-qr"
    )


def qr_png(registration: Registration, scale: int = 8) -> bytes:
    out = io.BytesIO()
    _qr(registration).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def badge_attachment(registration: Registration) -> Attachment:
    """The badge QR code as a PNG attachment for the confirmation mail."""
    return Attachment(
        filename=f"badge-{registration.conference.slug}-{registration.id}.png",
        content=qr_png(registration),
        maintype="image",
        subtype="png",
    )


BADGE_W, BADGE_H = 90 * mm, 130 * mm


def badges_pdf(registrations: list[Registration], title: str) -> bytes:
    """Badges four to an A4 page (90 x 130 mm each), with cut marks of light frames."""
    regular, bold = fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    page_w, page_h = A4
    margin_x = (page_w - 2 * BADGE_W) / 2
    margin_y = (page_h - 2 * BADGE_H) / 2
    slots = [(0, 1), (1, 1), (0, 0), (1, 0)]
    pictures = _photos(registrations)
    for index, registration in enumerate(registrations):
        if index and index % 4 == 0:
            canvas.showPage()
        column, row = slots[index % 4]
        x, y = margin_x + column * BADGE_W, margin_y + row * BADGE_H
        with in_language(registration.mail_language) as language:  # each badge in its holder's
            picture = pictures.get(registration.id)
            _draw_badge(canvas, registration, x, y, (regular, bold), picture, language)
    if not registrations:
        canvas.setFont(regular, 12)
        canvas.drawString(20 * mm, page_h - 30 * mm, gettext("No badges to print."))
    canvas.save()
    return out.getvalue()


def _photos(registrations: list[Registration]) -> dict[int, ImageReader]:
    """The badge photos of these registrations, read once; a photo gone from disk is left out."""
    having = photos.with_photos(r.id for r in registrations)
    found = {}
    for registration_id in having:
        photo = photos.photo_of(registration_id)
        try:
            found[registration_id] = ImageReader(io.BytesIO(files.read(photo.key)))
        except (FileNotFoundError, AttributeError):
            continue
    return found


def _draw_badge(
    canvas: Canvas,
    registration: Registration,
    x: float,
    y: float,
    fonts: tuple[str, str],
    picture: ImageReader | None,
    language: str,
) -> None:
    """One badge in `language`; with a photo, the photo (30 x 40 mm) and a smaller QR code
    share the foot."""
    regular, bold = fonts
    inner = BADGE_W - 12 * mm
    canvas.setStrokeColorRGB(0.8, 0.8, 0.8)
    canvas.rect(x, y, BADGE_W, BADGE_H, stroke=1, fill=0)
    canvas.setFillColorRGB(0.04, 0.36, 0.56)
    canvas.rect(x, y + BADGE_H - 18 * mm, BADGE_W, 18 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    conference = registration.conference.text_in("title", language)
    size = fit_text(canvas, conference, bold, 10, inner)
    canvas.setFont(bold, size)
    canvas.drawCentredString(x + BADGE_W / 2, y + BADGE_H - 11 * mm, conference)
    canvas.setFillColorRGB(0, 0, 0)
    size = fit_text(canvas, registration.name, bold, 18, inner)
    canvas.setFont(bold, size)
    canvas.drawCentredString(x + BADGE_W / 2, y + BADGE_H - 32 * mm, registration.name)
    canvas.setFont(regular, 10)
    for offset, line in enumerate(
        [
            registration.institution_in(language).text,
            member_name(registration.member, language),
            translate(registration.role.label),
        ]
    ):
        if line:
            size = fit_text(canvas, line, regular, 10, inner)
            canvas.setFont(regular, size)
            canvas.drawCentredString(x + BADGE_W / 2, y + BADGE_H - (41 + 6 * offset) * mm, line)
    if picture is None:
        draw_qr(
            canvas, badge_payload(registration), x + (BADGE_W - 50 * mm) / 2, y + 10 * mm, 50 * mm
        )
    else:
        canvas.drawImage(picture, x + 8 * mm, y + 10 * mm, 30 * mm, 40 * mm)
        draw_qr(canvas, badge_payload(registration), x + BADGE_W - 48 * mm, y + 10 * mm, 40 * mm)
    canvas.setFont(regular, 7)
    canvas.drawCentredString(
        x + BADGE_W / 2, y + 5 * mm, gettext("No. %(number)s", number=registration.id)
    )
