"""ReportLab helpers shared by badges, the participants list and certificates."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import segno
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
)


@cache
def fonts() -> tuple[str, str]:
    """(regular, bold): DejaVu Sans when installed (Cyrillic, Greek...), else Helvetica."""
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).exists() and Path(bold).exists():
            pdfmetrics.registerFont(TTFont("Body", regular))
            pdfmetrics.registerFont(TTFont("Body-Bold", bold))
            return "Body", "Body-Bold"
    return "Helvetica", "Helvetica-Bold"


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Draw a QR code as vector squares, bottom-left corner at (x, y)."""
    code = segno.make_qr(payload, error="m")
    rows = list(code.matrix_iter(border=2))
    module = size / len(rows)
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(rows):
        top = y + size - (r + 1) * module
        start = None
        for c, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = c
            elif not dark and start is not None:
                canvas.rect(x + start * module, top, (c - start) * module, module, stroke=0, fill=1)
                start = None
    canvas.restoreState()


def fit_text(canvas: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to `size` at which `text` fits in `width`."""
    while size > 6 and canvas.stringWidth(text, font, size) > width:
        size -= 0.5
    return size
