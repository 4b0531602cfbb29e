"""Small real PDF and DOCX files for the document tests, and a helper to upload them."""

from __future__ import annotations

import io
import zipfile

from flask.testing import FlaskClient
from reportlab.pdfgen.canvas import Canvas
from werkzeug.test import TestResponse

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application'
    '/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def pdf_bytes(text: str = "Summary of the Ninth Meeting", pages: int = 1) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, invariant=True)
    for page in range(pages):
        canvas.drawString(72, 720, f"{text} - page {page + 1}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def docx_bytes(text: str = "Summary") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", f"<w:document><w:t>{text}</w:t></w:document>")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def upload(
    client: FlaskClient, document_id: int, language: str, data: bytes, filename: str
) -> TestResponse:
    return client.post(
        f"/manage/documents/{document_id}/files",
        data={"language": language, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def new_document(client: FlaskClient, owner_path: str, **fields: str) -> int:
    """Creates a document through the management page; returns its id."""
    data = {"kind": "summary", "title_en": "Summary of the Ninth Meeting", "visibility": "public"}
    data.update(fields)
    response = client.post(f"/manage/{owner_path}/documents", data=data)
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").rpartition("/")[2])
