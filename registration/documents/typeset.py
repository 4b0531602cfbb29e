"""Text laid out as an A4 PDF with the fonts the badges use (Cyrillic and Kazakh letters)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from registration.pdf import fonts


def styles() -> dict[str, ParagraphStyle]:
    """Body text, a centred bold heading, and a right-aligned line, in the badge fonts."""
    regular, bold = fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=12, leading=17, spaceAfter=8)
    return {
        "body": body,
        "justified": ParagraphStyle("justified", parent=body, alignment=4, firstLineIndent=12 * mm),
        "heading": ParagraphStyle("heading", parent=body, fontName=bold, alignment=1),
        "bold": ParagraphStyle("bold", parent=body, fontName=bold),
        "right": ParagraphStyle("right", parent=body, alignment=2),
        "small": ParagraphStyle("small", parent=body, fontSize=10, leading=13),
    }


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def build_pdf(flowables: list[Flowable], title: str, language: str) -> bytes:
    """An A4 PDF of these flowables; the same input gives the same bytes."""
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=title,
        lang=language,
        invariant=True,
        leftMargin=25 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    document.build(flowables)
    return out.getvalue()


def text_pdf(title: str, paragraphs: list[str], language: str = "en") -> bytes:
    """A document of a heading and justified paragraphs (e.g. a meeting's summary)."""
    style = styles()
    flowables: list[Flowable] = [paragraph(title, style["heading"]), Spacer(1, 6 * mm)]
    flowables += [paragraph(text, style["justified"]) for text in paragraphs if text.strip()]
    return build_pdf(flowables, title, language)
