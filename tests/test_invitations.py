"""Organisers invite people one by one, by a pasted list or a CSV file; the mail carries a
personal registration link; invitees can decline; pending ones can be reminded in bulk."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.invitations.models import Invitation, InvitationStatus
from registration.invitations.services import invitation_for_token, mark_accepted
from registration.mail.models import OutgoingMail
from tests.mail_support import TestMailbox, wait_for

pytestmark = pytest.mark.usefixtures("members", "celery_worker")


def _finished(client: FlaskClient, batch_url: str) -> dict:
    return wait_for(
        lambda: (p := client.get(batch_url + "/progress.json").json)["finished"] and p,
        timeout=60,
        what="the bulk send to finish",
    )


def test_a_pasted_list_is_invited_in_the_background_with_personal_links(
    app: Flask,
    organizer_client: FlaskClient,
    mailbox: TestMailbox,
    make_conference: Callable,
    make_panel: Callable,
) -> None:
    conference_id = make_conference(slug="ttf-9")
    panel_id = make_panel(conference_id, title="Security in Asia")
    people = "\n".join(
        f"Person {n}, person{n}@example.org, KAZ, {'speaker' if n == 0 else 'participant'}"
        for n in range(25)
    )
    response = organizer_client.post(
        "/manage/conferences/ttf-9/invitations/list",
        data={"list-people": "name,email,member,role\n" + people, "list-panels": [panel_id]},
    )
    assert response.status_code == 302
    batch_url = response.location
    assert "/manage/mail/batches/conference-" in batch_url
    assert _finished(organizer_client, batch_url) == {
        "total": 25,
        "done": 25,
        "failed": 0,
        "remaining": 0,
        "retrying": 0,
        "finished": True,
        "summary": "Sent 25 of 25.",
        "state": "Finished.",
        "job_failed": False,
    }
    messages = {m["To"]: m for m in mailbox.parsed()}
    assert len(messages) == 25
    text = messages["person3@example.org"].get_body(preferencelist=("plain",)).get_content()
    assert "Security in Asia" in text
    token = re.search(r"/conferences/ttf-9/register\?invitation=([\w-]+)", text).group(1)
    with app.app_context():
        invitation = invitation_for_token(token)
        assert invitation.email == "person3@example.org"
        assert invitation.member.code == "KAZ"
        assert [p.title for p in invitation.panels] == ["Security in Asia"]
        assert invitation.sent_at is not None
        composers = set(db.session.scalars(db.select(OutgoingMail.composer)))
        assert composers == {"invitations.invitation"}, "the job queued intents, senders composed"

    decline_url = re.search(r"http://localhost(/invitations/[\w-]+/decline)", text).group(1)
    assert "decline this invitation" in organizer_client.get(decline_url).text
    assert "cannot attend" in organizer_client.post(decline_url).text
    with app.app_context():
        assert mark_accepted(conference_id, "PERSON4@example.org")
        db.session.commit()

    page = organizer_client.get("/manage/conferences/ttf-9/invitations/")
    assert "Pending: <strong>23</strong>" in page.text
    assert "Accepted: <strong>1</strong>" in page.text
    assert "Declined: <strong>1</strong>" in page.text

    mailbox.reset()
    response = organizer_client.post("/manage/conferences/ttf-9/invitations/remind")
    assert _finished(organizer_client, response.location)["done"] == 23
    reminded = {m["To"] for m in mailbox.parsed()}
    assert len(reminded) == 23
    assert "person3@example.org" not in reminded
    assert "person4@example.org" not in reminded
    assert all(m["Subject"].startswith("Reminder") for m in mailbox.parsed())
    english = organizer_client.get(batch_url).text
    assert "<h1>25 invitations: " in english
    russian = organizer_client.get(f"{response.location}?lang=ru").text
    assert "<h1>Напоминания 23 приглашённым без ответа: " in russian


def test_one_person_and_a_csv_upload(
    app: Flask, organizer_client: FlaskClient, mailbox: TestMailbox, make_conference: Callable
) -> None:
    make_conference(slug="ttf-10")
    response = organizer_client.post(
        "/manage/conferences/ttf-10/invitations/one",
        data={"one-name": "Dr Li Wei", "one-email": "li.wei@example.cn", "one-role": "speaker"},
    )
    assert response.status_code == 302
    csv_file = (io.BytesIO(b"Anna,anna@example.org,RUS,observer\r\n"), "people.csv")
    response = organizer_client.post(
        "/manage/conferences/ttf-10/invitations/list",
        data={"list-upload": csv_file},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    wait_for(lambda: len(mailbox.parsed()) == 2, what="two invitations")
    with app.app_context():
        invited = {i.email: i for i in db.session.scalars(db.select(Invitation))}
    assert invited["anna@example.org"].member.code == "RUS"
    assert invited["li.wei@example.cn"].status == InvitationStatus.PENDING


def test_bad_lines_are_shown_next_to_the_field_and_nothing_is_saved(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable
) -> None:
    make_conference(slug="ttf-11")
    typed = "Good Person, good@example.org, KAZ, participant\nNo Mail, not-an-address, KAZ\n"
    typed += "Unknown, unknown@example.org, XXX, participant"
    response = organizer_client.post(
        "/manage/conferences/ttf-11/invitations/list", data={"list-people": typed}
    )
    assert response.status_code == 422
    assert "line 2: not-an-address" in response.text
    assert "line 3: unknown member state or organisation &#39;XXX&#39;" in response.text
    assert "good@example.org, KAZ, participant" in response.text  # the typed list is kept
    response = organizer_client.post(
        "/manage/conferences/ttf-11/invitations/one",
        data={"one-name": "", "one-email": "nope", "one-role": "participant"},
    )
    assert response.status_code == 422
    assert "This field is required." in response.text
    russian = organizer_client.post(
        "/manage/conferences/ttf-11/invitations/list?lang=ru", data={"list-people": typed}
    )
    assert "строка 2: not-an-address — не адрес электронной почты" in russian.text
    assert "строка 3: неизвестное государство-член или организация «XXX»" in russian.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Invitation.id))) == 0


def test_a_list_names_members_and_roles_in_any_of_our_languages(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable
) -> None:
    """A member by its name in English, Russian or Kazakh or its ISO code; a role by its
    code or its word in the page's language; the hint lists the page's words."""
    make_conference(slug="ttf-12")
    url = "/manage/conferences/ttf-12/invitations"
    assert "роль (докладчик, участник, наблюдатель)" in organizer_client.get(f"{url}/?lang=ru").text
    assert "рөлі (баяндамашы, қатысушы, байқаушы)" in organizer_client.get(f"{url}/?lang=kk").text
    typed = "\n".join(
        [
            "Айгерим, aigerim@example.kz, Казахстан, Докладчик",
            "Ли Вэй, li@example.cn, Қытай, наблюдатель",
            "Anna, anna@example.org, russian federation, participant",
            "Bakyt, bakyt@example.kg, kg, speaker",
        ]
    )
    response = organizer_client.post(f"{url}/list?lang=ru", data={"list-people": typed})
    assert response.status_code == 302
    with app.app_context():
        invited = {i.email: i for i in db.session.scalars(db.select(Invitation))}
    assert {email: (i.member.code, i.role.value) for email, i in invited.items()} == {
        "aigerim@example.kz": ("KAZ", "speaker"),
        "li@example.cn": ("CHN", "observer"),
        "anna@example.org": ("RUS", "participant"),
        "bakyt@example.kg": ("KGZ", "speaker"),
    }
    wrong = "Good, good@example.org, Казахстан, участник\nBad, bad@example.org, KAZ, гость"
    kazakh = organizer_client.post(f"{url}/list?lang=kk", data={"list-people": wrong}).text
    assert (
        "2-жол: белгісіз рөл: «гость» (мыналардың бірін көрсетіңіз: баяндамашы, қатысушы, байқаушы)"
        in kazakh
    )


def test_the_personal_link_prefills_and_binds_the_registration_form(
    app: Flask, client: FlaskClient, make_conference: Callable, make_panel: Callable
) -> None:
    from registration.conferences.models import Conference, Panel
    from registration.directory.models import Member
    from registration.invitations.services import Invitee, invite
    from registration.signup.models import ParticipantRole, Registration
    from tests.signup_support import form_data, open_registration

    conference_id = make_conference(slug="ttf-12")
    panel_id = make_panel(conference_id)
    open_registration(app, conference_id)
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        kaz = db.session.scalars(db.select(Member).filter_by(code="KAZ")).one()
        invite(
            conference,
            [Invitee("Dana", "dana@example.kz", kaz, ParticipantRole.SPEAKER)],
            [db.session.get(Panel, panel_id)],
        )
        db.session.commit()
        token, kaz_id = db.session.scalars(db.select(Invitation)).one().token, kaz.id

    url = f"/conferences/ttf-12/register?invitation={token}"
    page = client.get(url).text
    assert 'value="Dana"' in page
    assert re.search(
        r'<input[^>]*readonly[^>]*value="dana@example.kz"|value="dana@example.kz"[^>]*readonly',
        page,
    )
    assert re.search(rf'<option (data-names="[^"]*" )?selected value="{kaz_id}"', page)

    posted = form_data(kaz_id, name="Dana K.", email="someone.else@example.org", role="speaker")
    assert client.post(url, data=posted).status_code == 302
    with app.app_context():
        registration = db.session.scalars(db.select(Registration)).one()
        assert (registration.name, registration.email) == ("Dana K.", "dana@example.kz")
        invitation = db.session.scalars(db.select(Invitation)).one()
        assert invitation.status == InvitationStatus.ACCEPTED


def test_the_decline_page_is_in_the_invitee_language(
    app: Flask, client: FlaskClient, make_conference: Callable
) -> None:
    from registration.conferences.models import Conference
    from registration.invitations.services import Invitee, invite
    from registration.signup.models import ParticipantRole

    conference_id = make_conference(slug="ttf-13")
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        invite(
            conference, [Invitee("Dana", "dana@example.kz", None, ParticipantRole.PARTICIPANT)], []
        )
        db.session.commit()
        token = db.session.scalars(db.select(Invitation.token)).one()
    asked = client.get(f"/invitations/{token}/decline?lang=kk").text
    assert "Dana, осы шақырудан бас тартқыңыз келе ме?" in asked
    assert "Шақырудан бас тарту" in asked
    assert 'href="/conferences/ttf-13/register?invitation=' in asked
    declined = client.post(f"/invitations/{token}/decline?lang=kk", data={}).text
    assert "Рақмет, Dana: сіздің қатыса алмайтыныңыз назарға алынды." in declined
    assert client.get("/invitations/not-a-token/decline?lang=ru").status_code == 404
