"""Documents of a conference or series: language versions checked by content, who may read
them, and the public documents pages in the visitor's language with ETag/304."""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfWriter
from werkzeug.http import parse_options_header

from registration.accounts.models import User
from registration.database import db
from registration.documents import services
from registration.documents.models import Document, DocumentFile, DocumentKind, Visibility
from registration.documents.services import DocumentData
from registration.signup.links import manage_token
from registration.signup.models import FocalPoint, Registration, RegistrationStatus
from tests.conftest import PASSWORD
from tests.document_support import (
    docx_bytes,
    new_document,
    pdf_bytes,
    upload,
    xlsx_bytes,
)
from tests.mail_support import add_registration
from tests.signup_support import member_id

RU_TITLE = "Отчет 9-го заседания Форума аналитических центров СВМДА"


@pytest.fixture
def ttf9(make_conference: Callable[..., int], make_series: Callable[..., int]) -> int:
    series_id = make_series(slug="ttf")
    return make_conference(slug="ttf9", series_id=series_id)


def issued_summary(client: FlaskClient, **fields: str) -> int:
    document_id = new_document(client, "conferences/ttf9", title_ru=RU_TITLE, **fields)
    assert upload(client, document_id, "en", pdf_bytes(pages=8), "summary.pdf").status_code == 302
    assert upload(client, document_id, "ru", docx_bytes(), "отчет.docx").status_code == 302
    issued = client.post(f"/manage/documents/{document_id}/status", data={"status": "issued"})
    assert issued.status_code == 302
    return document_id


def file_ids(app: Flask, document_id: int) -> dict[str, int]:
    with app.app_context():
        files = db.session.scalars(db.select(DocumentFile).filter_by(document_id=document_id))
        return {f.language: f.id for f in files}


def test_an_issued_public_document_is_on_the_page_in_the_visitor_s_language(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    document_id = issued_summary(organizer_client)
    visitor = app.test_client()
    english = visitor.get("/conferences/ttf9/documents?lang=en")
    assert english.status_code == 200
    assert "Summary of the Ninth Meeting" in english.text
    assert "Summary or outcome report" in english.text
    russian = visitor.get("/conferences/ttf9/documents?lang=ru")
    assert RU_TITLE in russian.text
    assert "Английский" in russian.text
    assert "Русский" in russian.text
    kazakh = visitor.get("/conferences/ttf9/documents?lang=kk").text  # no Kazakh title
    assert '<strong><span lang="en">Summary of the Ninth Meeting</span></strong>' in kazakh
    with app.app_context():
        stored = db.session.get(Document, document_id)
        assert (stored.title, stored.language) == ("Summary of the Ninth Meeting", "en")
        assert stored.translations == {"ru": {"title": RU_TITLE}}
    ids = file_ids(app, document_id)
    pdf = visitor.get(f"/documents/files/{ids['en']}")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data == pdf_bytes(pages=8)
    assert "summary.pdf" in pdf.headers["Content-Disposition"]
    assert pdf.headers["Cache-Control"] == "no-cache"
    again = visitor.get(
        f"/documents/files/{ids['en']}", headers={"If-None-Match": pdf.headers["ETag"]}
    )
    assert (again.status_code, again.data) == (304, b"")
    russian_file = visitor.get(f"/documents/files/{ids['ru']}")
    disposition = russian_file.headers["Content-Disposition"]  # RFC 6266's encoded form
    assert disposition.endswith("filename*=UTF-8''%D0%BE%D1%82%D1%87%D0%B5%D1%82.docx")
    with app.app_context():
        assert db.session.get(DocumentFile, ids["en"]).pages == 8  # type: ignore[union-attr]
        sha = db.session.get(DocumentFile, ids["en"]).sha256  # type: ignore[union-attr]
    assert pdf.headers["ETag"] == f'"{sha}"'
    assert 'id="conference-documents"' in visitor.get("/conferences/ttf9").text


def test_the_organisers_list_names_each_version_s_language(
    organizer_client: FlaskClient, ttf9: int
) -> None:
    """Not raw codes ("EN, RU"): the languages' names in the page's language."""
    issued_summary(organizer_client)
    cells = {
        language: organizer_client.get(f"/manage/conferences/ttf9/documents?lang={language}").text
        for language in ("en", "ru", "kk")
    }
    assert "<td>English, Russian</td>" in cells["en"]
    assert "<td>Английский, Русский</td>" in cells["ru"]
    assert "<td>Ағылшын тілі, Орыс тілі</td>" in cells["kk"]
    assert "EN, RU" not in cells["en"]


def test_a_file_named_in_russian_or_kazakh_downloads_under_its_name_with_an_ascii_one(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    """RFC 6266: browsers save the file under its own name (filename*); a client that reads
    only the plain filename gets a name in ASCII that says what it is, not ".docx"."""
    document_id = new_document(
        organizer_client, "conferences/ttf9", kind="note_verbale", title_ru="Нота вербальная"
    )
    names = {"ru": "Нота вербальная № 374.docx", "kk": "Ауызша нота № 374.docx"}
    for language, name in names.items():
        uploaded = upload(organizer_client, document_id, language, docx_bytes(), name)
        assert uploaded.status_code == 302
    organizer_client.post(f"/manage/documents/{document_id}/status", data={"status": "issued"})
    for language, name in names.items():
        file_id = file_ids(app, document_id)[language]
        response = app.test_client().get(f"/documents/files/{file_id}")
        assert response.status_code == 200
        disposition = response.headers["Content-Disposition"]
        plain = f"filename=note-verbale-{document_id}-{language}.docx"
        assert disposition == f"attachment; {plain}; filename*=UTF-8''{quote(name)}"
        assert parse_options_header(disposition) == ("attachment", {"filename": name})


def test_a_draft_is_neither_listed_nor_downloadable(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    document_id = new_document(organizer_client, "conferences/ttf9")
    upload(organizer_client, document_id, "en", pdf_bytes(), "draft.pdf")
    visitor = app.test_client()
    assert "Summary of the Ninth Meeting" not in visitor.get("/conferences/ttf9/documents").text
    assert 'id="conference-documents"' not in visitor.get("/conferences/ttf9").text
    assert visitor.get(f"/documents/files/{file_ids(app, document_id)['en']}").status_code == 404


@pytest.mark.parametrize(
    ("data", "filename", "said"),
    [
        (xlsx_bytes(), "summary.docx", "not a Word (.docx) one"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "summary.pdf", "neither a PDF nor a Word"),
        (b"%PDF-1.7 not really", "summary.pdf", "cannot be read"),
        (b"", "summary.pdf", "The file is empty"),
    ],
)
def test_a_file_that_is_not_a_pdf_or_docx_is_refused_by_its_content(
    app: Flask, organizer_client: FlaskClient, ttf9: int, data: bytes, filename: str, said: str
) -> None:
    document_id = new_document(organizer_client, "conferences/ttf9")
    response = upload(organizer_client, document_id, "en", data, filename)
    assert response.status_code == 422
    assert said in response.text
    assert 'class="error-summary"' in response.text
    assert file_ids(app, document_id) == {}


@pytest.mark.parametrize(
    ("language", "data", "said"),
    [
        ("ru", xlsx_bytes(), "Этот файл — архивированный документ, но не документ Word (.docx)"),
        ("kk", xlsx_bytes(), "Бұл файл — архивтелген құжат, бірақ Word (.docx) құжаты емес"),
        ("ru", b"", "Файл пуст. Загрузите документ в формате PDF или Word (.docx)."),
        ("kk", b"", "Файл бос. Құжатты PDF немесе Word (.docx) файлы ретінде жүктеңіз."),
        ("ru", b"%PDF-1.7 not really", "Файл начинается как PDF, но его не удаётся прочитать"),
        ("kk", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "Бұл файл PDF құжаты да, Word құжаты да емес."),
    ],
)
def test_a_refused_file_is_explained_in_the_page_s_language(
    app: Flask, organizer_client: FlaskClient, ttf9: int, language: str, data: bytes, said: str
) -> None:
    document_id = new_document(organizer_client, "conferences/ttf9")
    organizer_client.get(f"/manage/documents/{document_id}?lang={language}")
    response = upload(organizer_client, document_id, "en", data, "summary.pdf")
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert said in page
    assert "Upload the document as a PDF" not in page


def _password_protected_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("language", "damaged", "said"),
    [
        ("ru", True, "Файл начинается как PDF, но его не удаётся прочитать: он повреждён"),
        ("kk", True, "Файл PDF сияқты басталады, бірақ оны оқу мүмкін емес: ол бүлінген"),
        ("ru", False, "Этот PDF защищён паролем, поэтому его не удаётся прочитать."),
        ("kk", False, "Бұл PDF құпиясөзбен қорғалған, сондықтан оны оқу мүмкін емес."),
    ],
)
def test_an_unreadable_pdf_is_explained_in_our_words_not_pypdf_s(
    app: Flask, organizer_client: FlaskClient, ttf9: int, language: str, damaged: bool, said: str
) -> None:
    """A Russian or Kazakh organiser reads why in their language, without pypdf's English
    ("Stream has ended unexpectedly", "File has not been decrypted")."""
    document_id = new_document(organizer_client, "conferences/ttf9")
    organizer_client.get(f"/manage/documents/{document_id}?lang={language}")
    data = pdf_bytes()[:200] if damaged else _password_protected_pdf()
    response = upload(organizer_client, document_id, "en", data, "summary.pdf")
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert said in page
    for english in ("Stream has ended", "decrypted", "EOF", "cannot be read"):
        assert english not in page
    assert file_ids(app, document_id) == {}


def test_a_file_over_the_size_limit_is_refused(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    document_id = new_document(organizer_client, "conferences/ttf9")
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 20_000
    try:
        response = upload(organizer_client, document_id, "en", pdf_bytes() * 30, "big.pdf")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413
    assert file_ids(app, document_id) == {}


def test_the_documents_page_answers_304_until_something_changes(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    issued_summary(organizer_client)
    visitor = app.test_client()
    first = visitor.get("/conferences/ttf9/documents?lang=en")
    tag = first.headers["ETag"]
    again = visitor.get("/conferences/ttf9/documents?lang=en", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.data == b""
    russian = visitor.get("/conferences/ttf9/documents?lang=ru", headers={"If-None-Match": tag})
    assert russian.status_code == 200  # another language, another page
    issued_summary(organizer_client, kind="concept_note", title_en="Concept note")
    changed = visitor.get("/conferences/ttf9/documents?lang=en", headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert "Concept note" in changed.text


def test_series_documents_have_their_own_page(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    document_id = new_document(
        organizer_client, "series/ttf", kind="chairs_statement", title_en="Statement of the Chair"
    )
    upload(organizer_client, document_id, "en", pdf_bytes(), "statement.pdf")
    organizer_client.post(f"/manage/documents/{document_id}/status", data={"status": "issued"})
    page = app.test_client().get("/series/ttf/documents")
    assert page.status_code == 200
    assert "Statement of the Chair" in page.text
    assert "/series/ttf/documents" in app.test_client().get("/conferences/ttf9/documents").text


def test_the_documents_pages_name_the_meeting_in_the_visitor_s_language(
    app: Flask, make_conference: Callable[..., int], make_series: Callable[..., int]
) -> None:
    """The heading, the window title and the series link use the stored translations, with
    `lang` where the page falls back to the main language."""
    series_id = make_series(
        slug="cica-ttf", translations={"ru": {"name": "Форум аналитических центров СВМДА"}}
    )
    make_conference(
        slug="ttf-9",
        series_id=series_id,
        title="Ninth Meeting of the CICA Think Tank Forum",
        translations={"ru": {"title": "Девятое заседание Форума аналитических центров СВМДА"}},
    )
    visitor = app.test_client()
    russian = visitor.get("/conferences/ttf-9/documents?lang=ru").text
    assert "<h1>Документы: Девятое заседание Форума аналитических центров СВМДА</h1>" in russian
    assert "<title>Документы · Девятое заседание" in russian
    assert "Ninth Meeting" not in russian
    assert "Форум аналитических центров СВМДА" in russian
    kazakh = visitor.get("/conferences/ttf-9/documents?lang=kk").text
    assert '<span lang="en">Ninth Meeting of the CICA Think Tank Forum</span></h1>' in kazakh
    series = visitor.get("/series/cica-ttf/documents?lang=ru").text
    assert "Форум аналитических центров СВМДА</h1>" in series


def test_focal_point_documents_are_behind_their_sign_in(
    app: Flask,
    organizer_client: FlaskClient,
    ttf9: int,
    members: None,
    make_organizer: Callable[..., User],
) -> None:
    shared = issued_summary(
        organizer_client, visibility="focal_points", title_en="For focal points"
    )
    internal = issued_summary(organizer_client, visibility="internal", title_en="Internal memo")
    visitor = app.test_client()
    assert "For focal points" not in visitor.get("/conferences/ttf9/documents").text
    shared_file = file_ids(app, shared)["en"]
    assert visitor.get(f"/documents/files/{shared_file}").status_code == 302  # to sign in
    user = make_organizer("focal@mfa.kz.example", organizer=False)
    with app.app_context():
        db.session.add(
            FocalPoint(user_id=user.id, conference_id=ttf9, member_id=member_id(app, "KAZ"))
        )
        db.session.commit()
    focal = app.test_client()
    focal.post("/account/login", data={"email": user.email, "password": PASSWORD})
    page = focal.get("/delegation/ttf9/documents")
    assert "For focal points" in page.text
    assert "Internal memo" not in page.text
    assert focal.get(f"/documents/files/{shared_file}").status_code == 200
    assert focal.get(f"/documents/files/{file_ids(app, internal)['en']}").status_code == 404
    assert visitor.get("/delegation/ttf9/documents").status_code == 302


def test_a_document_needs_an_english_title(organizer_client: FlaskClient, ttf9: int) -> None:
    response = organizer_client.post(
        "/manage/conferences/ttf9/documents",
        data={"kind": "summary", "title_en": "", "title_ru": RU_TITLE, "visibility": "public"},
    )
    assert response.status_code == 200
    assert "Give the document a title in English." in response.text
    assert RU_TITLE in response.text  # what was typed is kept


def test_a_refused_edit_changes_nothing_of_the_document(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    document_id = new_document(organizer_client, "conferences/ttf9", title_ru=RU_TITLE)
    refused = organizer_client.post(
        f"/manage/documents/{document_id}",
        data={"kind": "programme", "title_en": "", "title_ru": "", "visibility": "internal"},
    )
    assert refused.status_code == 200
    assert "Give the document a title in English." in refused.text
    with app.app_context():
        document = db.session.get(Document, document_id)
        assert document is not None
        assert (document.kind.value, document.visibility.value) == ("summary", "public")
        assert document.titles == {"en": "Summary of the Ninth Meeting", "ru": RU_TITLE}
        data = DocumentData(DocumentKind.PROGRAMME, {"en": " "}, Visibility.INTERNAL)
        with pytest.raises(services.DocumentError):
            services.update_document(document, data)
        assert not db.session.dirty  # the service leaves nothing for its caller to roll back


def test_withdrawn_documents_leave_the_public_page(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    document_id = issued_summary(organizer_client)
    organizer_client.post(f"/manage/documents/{document_id}/status", data={"status": "withdrawn"})
    assert "Summary of the Ninth" not in app.test_client().get("/conferences/ttf9/documents").text
    with app.app_context():
        assert db.session.get(Document, document_id).status.value == "withdrawn"  # type: ignore[union-attr]


def test_a_registered_participant_reads_participants_documents_through_their_link(
    app: Flask, organizer_client: FlaskClient, ttf9: int, members: None
) -> None:
    document_id = issued_summary(organizer_client, visibility="participants", title_en="Logistics")
    with app.app_context():
        registration = add_registration(ttf9, "aigerim@example.org")
        db.session.commit()
        token, registration_id = manage_token(registration), registration.id
        registration.status = RegistrationStatus.PENDING
        db.session.commit()
    visitor = app.test_client()
    assert "Logistics" not in visitor.get("/conferences/ttf9/documents").text
    assert visitor.get(f"/conferences/ttf9/registration/{token}/documents").status_code == 404
    with app.app_context():
        db.session.get(Registration, registration_id).status = RegistrationStatus.APPROVED  # type: ignore[union-attr]
        db.session.commit()
    own_page = visitor.get(f"/conferences/ttf9/registration/{token}").text
    assert 'id="participant-documents"' in own_page
    page = visitor.get(f"/conferences/ttf9/registration/{token}/documents")
    assert "Logistics" in page.text
    english = file_ids(app, document_id)["en"]
    assert f"/documents/files/{english}?token=" in page.text
    assert visitor.get(f"/documents/files/{english}?token={token}").status_code == 200
    assert visitor.get(f"/documents/files/{english}").status_code == 302  # to sign in
    assert visitor.get(f"/documents/files/{english}?token=forged").status_code == 302
