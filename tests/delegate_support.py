"""Helpers for the in-person delegate tests: questions, pictures and PDFs to upload."""

from __future__ import annotations

import io
from typing import Any

from flask.testing import FlaskClient
from PIL import Image

from registration.database import db
from registration.signup.models import Question


def add_question(client: FlaskClient, slug: str, label: str, kind: str, **fields: Any) -> int:
    """Adds a question through the organiser's page; returns its id."""
    data = {"label": label, "kind": kind, "audience": "all", "stage": "registration", **fields}
    response = client.post(f"/manage/conferences/{slug}/questions/", data=data)
    assert response.status_code == 302, response.text
    found = db.session.scalar(
        db.select(Question.id).filter_by(label=label).order_by(Question.id.desc())
    )
    assert found is not None
    return found


def picture(kind: str = "JPEG", size: tuple[int, int] = (300, 400), colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
