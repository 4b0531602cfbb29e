"""Dispatch: an issued note and its enclosure to the member states' contacts, each in its
languages, through the outbox and a real worker; the register per state and address."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.correspondence.dispatch_models import Dispatch, DispatchDelivery
from registration.database import db
from registration.i18n import in_language
from registration.jobs.models import Job
from registration.jobs.registry import label_of
from registration.mail.models import OutgoingMail
from tests.correspondence_support import add_contact, issued_note
from tests.mail_support import TestMailbox, wait_for
from tests.signup_support import member_id

pytestmark = pytest.mark.usefixtures("members", "celery_worker")


@pytest.fixture
def note(app: Flask, make_conference: Callable[..., int]) -> int:
    note_id = issued_note(app, make_conference(slug="ttf9"))
    add_contact(app, "KAZ", "notes@mfa.kz.example", ["en", "ru", "kk"])
    add_contact(app, "CHN", "notes@mfa.cn.example", ["en"])
    add_contact(app, "RUS", "notes@mid.ru.example", ["ru"])
    return note_id


def attachments(message: EmailMessage) -> list[str]:
    return sorted(part.get_filename() or "" for part in message.iter_attachments())


def by_address(mailbox: TestMailbox) -> dict[str, EmailMessage]:
    return {str(m["To"]): m for m in mailbox.parsed()}


def dispatch(client: FlaskClient, note_id: int, **data: object) -> str:
    response = client.post(f"/manage/notes/{note_id}/dispatch", data=data or {"audience": "all"})
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def test_each_state_gets_the_note_and_enclosure_in_its_languages(
    app: Flask, organizer_client: FlaskClient, mailbox: TestMailbox, note: int
) -> None:
    register_url = dispatch(organizer_client, note)
    wait_for(lambda: mailbox.count >= 3, what="three messages")
    with app.app_context(), in_language("ru"):  # the job's name on its page
        [job] = db.session.scalars(db.select(Job).filter_by(kind="correspondence.dispatch"))
        assert str(label_of(job)).endswith("/374 — рассылка по 3 адресам")
    received = by_address(mailbox)
    kazakhstan = received["notes@mfa.kz.example"]
    assert attachments(kazakhstan) == [
        "TTF-374-en.pdf", "TTF-374-kk.pdf", "TTF-374-ru.pdf", "summary-en.pdf", "summary-ru.pdf",
    ]  # fmt: skip
    # The subject in the address's languages too, as the cover below it.
    assert str(kazakhstan["Subject"]) == (
        "Note verbale No. TTF/374 · CICA Secretariat / Нота № ТТФ/374 · Секретариат СВМДА"
        " / № ТТФ/374 нота · АӨСШК Хатшылығы"
    )
    assert str(received["notes@mid.ru.example"]["Subject"]) == (
        "Нота № ТТФ/374 · Секретариат СВМДА"
    )
    assert str(received["notes@mfa.cn.example"]["Subject"]) == (
        "Note verbale No. TTF/374 · CICA Secretariat"
    )
    text = kazakhstan.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "ноту № ТТФ/374" in text
    assert "№ ТТФ/374 нотаны" in text
    # The note itself in each language, as text: the accessible version of the untagged PDFs.
    for words in ("forward herewith the Summary.", "направить отчет.", "қорытынды есебін"):
        assert words in text
    assert "No. TTF/374" in text.partition("forward herewith")[0]
    assert attachments(received["notes@mfa.cn.example"]) == ["TTF-374-en.pdf", "summary-en.pdf"]
    assert attachments(received["notes@mid.ru.example"]) == ["TTF-374-ru.pdf", "summary-ru.pdf"]
    page = wait_for(
        lambda: (p := organizer_client.get(register_url).text).count("badge-sent") == 3 and p,
        what="the register showing three sent",
    )
    assert "Kazakhstan" in page
    assert "China" in page
    assert "3 sent · 0 queued · 0 refused" in page


def test_a_chosen_state_only_and_a_refusal_with_the_server_s_answer(
    app: Flask, organizer_client: FlaskClient, mailbox: TestMailbox, note: int
) -> None:
    mailbox.rejected.add("notes@mfa.kz.example")
    chosen = [member_id(app, "KAZ"), member_id(app, "CHN")]
    register_url = dispatch(organizer_client, note, audience="chosen", members=chosen)
    wait_for(lambda: mailbox.count >= 1, what="China's message")
    page = wait_for(
        lambda: "badge-refused" in (p := organizer_client.get(register_url).text) and p,
        what="the refusal in the register",
    )
    assert "5.1.1 No such user" in page
    assert "notes@mid.ru.example" not in page
    assert set(by_address(mailbox)) == {"notes@mfa.cn.example"}


def test_resend_to_one_address(
    app: Flask, organizer_client: FlaskClient, mailbox: TestMailbox, note: int
) -> None:
    register_url = dispatch(organizer_client, note)
    wait_for(lambda: mailbox.count >= 3, what="three messages")
    with app.app_context():
        delivery_id = db.session.scalar(
            db.select(DispatchDelivery.id).filter_by(email="notes@mfa.cn.example")
        )
    response = organizer_client.post(f"/manage/dispatches/deliveries/{delivery_id}/resend")
    assert response.status_code == 302
    wait_for(lambda: mailbox.count >= 4, what="the message sent again")
    to_china = [m for m in mailbox.parsed() if str(m["To"]) == "notes@mfa.cn.example"]
    assert len(to_china) == 2
    assert mailbox.count == 4
    assert "sent again 1×" in organizer_client.get(register_url).text
    with app.app_context():
        composers = db.session.scalars(db.select(OutgoingMail.composer).distinct()).all()
    assert composers == ["correspondence.dispatch"], "the outbox held intents, workers composed"


def test_a_draft_cannot_be_dispatched_and_a_state_must_be_chosen(
    app: Flask, organizer_client: FlaskClient, note: int
) -> None:
    response = organizer_client.post(
        f"/manage/notes/{note}/dispatch", data={"audience": "chosen", "members": []}
    )
    assert response.status_code == 200
    assert "Choose at least one member state." in response.text
    with app.app_context():  # refused: nothing of it was saved
        assert db.session.scalars(db.select(Dispatch)).all() == []
        assert db.session.scalars(db.select(Job)).all() == []


def test_the_register_refreshes_itself_until_the_dispatch_is_finished(
    app: Flask, organizer_client: FlaskClient, mailbox: TestMailbox, note: int
) -> None:
    mailbox.refuse_for(3)  # the server answers 451 at first: the messages wait to go
    register_url = dispatch(organizer_client, note)
    running = organizer_client.get(register_url).text
    assert 'data-running="yes"' in running
    assert "this page updates itself" in running
    assert "dispatch-refresh.js" in running
    finished = wait_for(
        lambda: 'data-running="no"' in (p := organizer_client.get(register_url).text) and p,
        what="the dispatch finished",
    )
    assert "3 sent · 0 queued · 0 refused" in finished
    assert "dispatch-refresh.js" not in finished
    script = organizer_client.get("/static/dispatch-refresh.js")
    assert script.status_code == 200
    assert b'dataset.running === "yes"' in script.data
