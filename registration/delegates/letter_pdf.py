"""A visa support letter as a PDF: one page per language of the meeting, each with the
number, the words of that language and the QR code of the public verification page."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from registration.delegates.letter_text import LetterText, letter_languages, letter_text
from registration.delegates.models import VisaLetter
from registration.pdf import draw_qr, fonts

MARGIN = 25 * mm
QR_SIZE = 32 * mm


def letter_pdf(letter: VisaLetter, verify_url: str) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"Visa support letter {letter.reference}")
    for language in letter_languages():
        _page(canvas, letter_text(letter, language, verify_url), verify_url)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _lines(canvas: Canvas, text: str, font: str, size: float, top: float) -> float:
    """Writes `text` wrapped to the page's width from `top` down; returns the next top."""
    width = A4[0] - 2 * MARGIN
    canvas.setFont(font, size)
    for line in simpleSplit(text, font, size, width):
        canvas.drawString(MARGIN, top, line)
        top -= size * 1.45
    return top


def _page(canvas: Canvas, text: LetterText, verify_url: str) -> None:
    regular, bold = fonts()
    page_h = A4[1]
    canvas.setFillColorRGB(0.04, 0.36, 0.56)
    top = _lines(canvas, text.issuer, bold, 12, page_h - MARGIN)
    canvas.setFillColorRGB(0, 0, 0)
    top = _lines(canvas, text.number, regular, 11, top - 8 * mm)
    top = _lines(canvas, text.place_and_date, regular, 11, top)
    top = _lines(canvas, text.addressee, bold, 11, top - 8 * mm)
    top -= 6 * mm
    for paragraph in text.paragraphs:
        top = _lines(canvas, paragraph, regular, 11, top) - 4 * mm
    top = _lines(canvas, text.signature, bold, 11, top - 8 * mm)
    draw_qr(canvas, verify_url, MARGIN, MARGIN + 12 * mm, QR_SIZE)
    canvas.setFont(regular, 8)
    for offset, line in enumerate(simpleSplit(text.verify, regular, 8, A4[0] - 2 * MARGIN)):
        canvas.drawString(MARGIN, MARGIN + 6 * mm - offset * 10, line)
