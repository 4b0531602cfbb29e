"""A note verbale laid out like the Secretariat's: the bilingual letterhead, the number, the
formulae around the body, the enclosure line, place and date, the addressee block."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from registration.correspondence import formulae
from registration.documents.typeset import build_pdf, paragraph, styles

DRAFT_NUMBER = "…"


@dataclass(frozen=True)
class NoteLayout:
    """Everything one language version shows."""

    language: str
    reference: str | None  # None for a draft
    addressee: str
    body: str
    place: str
    addressee_block: str
    day: date
    enclosure_pages: int | None


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs: separated by empty lines (single line breaks kept inside)."""
    blocks = [block.strip() for block in body.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block] or [""]


def note_lines(layout: NoteLayout) -> list[tuple[str, str]]:
    """The note as (style, text) lines, top to bottom: what the PDF and the preview show."""
    language = layout.language
    first, *rest = paragraphs(layout.body)
    lines = [("heading", head) for head in formulae.LETTERHEAD]
    lines.append(("bold", formulae.number_line(layout.reference or DRAFT_NUMBER)))
    lines.append(("justified", formulae.opening(language, layout.addressee, first)))
    if layout.enclosure_pages:
        lines.append(("small", formulae.enclosure_line(language, layout.enclosure_pages)))
    lines += [("justified", text) for text in rest]
    lines.append(("justified", formulae.closing(language, layout.addressee)))
    lines.append(("body", formulae.place_and_date(layout.place, layout.day, language)))
    lines.append(("bold", layout.addressee_block))
    return lines


def note_pdf(layout: NoteLayout) -> bytes:
    """One language version as an A4 PDF in the badge fonts."""
    style = styles()
    flowables: list[Flowable] = []
    for kind, text in note_lines(layout):
        if kind == "bold" and text == layout.addressee_block:
            flowables.append(Spacer(1, 10 * mm))
        flowables.append(paragraph(text, style[kind]))
        if kind in {"heading", "bold"}:
            flowables.append(Spacer(1, 3 * mm))
    title = formulae.number_line(layout.reference or DRAFT_NUMBER)
    return build_pdf(flowables, title, layout.language)
