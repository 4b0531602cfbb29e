"""Demo data for in-person delegates: the questions of the sample meeting and of the Ninth
Meeting in Shanghai, in-person delegates of the Shanghai forum, and some answers.

Idempotent like the rest of the demo: questions are found by their label, delegates by
their address, answers by (registration, question). All names and answers are ours
(invented for the demo); the seed documents say nothing of the delegates. The photos are
drawn silhouettes, no real person's.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from registration.conferences.models import Conference
from registration.database import db, utcnow
from registration.directory.services import member_by_code
from registration.signup import affiliation, photos
from registration.signup.demo import HOST
from registration.signup.models import (
    Answer,
    AttendanceMode,
    ParticipantRole,
    Question,
    QuestionAudience,
    QuestionKind,
    QuestionStage,
    Registration,
    RegistrationStatus,
)

SHANGHAI_SLUG = "cica-ttf-9"
IN_PERSON = QuestionAudience.IN_PERSON
FOLLOW_UP = QuestionStage.FOLLOW_UP

# (label, kind, options, required, audience, stage, sensitive)
QUESTIONS = [
    ("Dietary requirements", QuestionKind.SINGLE_CHOICE, "None\nVegetarian\nHalal\nKosher\nOther",
     False, QuestionAudience.ALL, QuestionStage.REGISTRATION, False),
    ("Access needs (wheelchair, hearing loop, ...)", QuestionKind.LONG_TEXT, "", False,
     QuestionAudience.ALL, QuestionStage.REGISTRATION, False),
    ("Arrival date", QuestionKind.DATE, "", True, IN_PERSON, FOLLOW_UP, False),
    ("Departure date", QuestionKind.DATE, "", True, IN_PERSON, FOLLOW_UP, False),
    ("Nationality (as in the passport)", QuestionKind.COUNTRY, "", False, IN_PERSON, FOLLOW_UP,
     True),
    ("Passport number", QuestionKind.SHORT_TEXT, "", False, IN_PERSON, FOLLOW_UP, True),
    ("Do you need a hotel room?", QuestionKind.YES_NO, "", False, IN_PERSON, FOLLOW_UP, False),
    ("Sessions you will attend in the evening", QuestionKind.MULTIPLE_CHOICE,
     "Welcome dinner\nCultural programme", False, IN_PERSON, FOLLOW_UP, False),
    ("Nomination letter of your institution", QuestionKind.FILE, "", False, IN_PERSON,
     FOLLOW_UP, False),
]  # fmt: skip

# The questions in Russian and Kazakh, by their English label: all these translations are
# ours (the seed documents ask no such questions); choices line by line as in QUESTIONS.
TRANSLATIONS = {
    "Dietary requirements": (
        {"label": "Требования к питанию",
         "options": "Нет\nВегетарианское\nХаляль\nКошерное\nДругое"},
        {"label": "Тамақтануға қойылатын талаптар",
         "options": "Жоқ\nВегетариандық\nХалал\nКошер\nБасқа"},
    ),
    "Access needs (wheelchair, hearing loop, ...)": (
        {"label": "Особые потребности (кресло-коляска, индукционная петля, ...)"},
        {"label": "Ерекше қажеттіліктер (мүгедектер арбасы, индукциялық ілмек, ...)"},
    ),
    "Arrival date": ({"label": "Дата прибытия"}, {"label": "Келу күні"}),
    "Departure date": ({"label": "Дата отъезда"}, {"label": "Кету күні"}),
    "Nationality (as in the passport)": (
        {"label": "Гражданство (как в паспорте)"},
        {"label": "Азаматтығы (төлқұжаттағыдай)"},
    ),
    "Passport number": ({"label": "Номер паспорта"}, {"label": "Төлқұжат нөмірі"}),
    "Do you need a hotel room?": (
        {"label": "Нужен ли вам номер в гостинице?"},
        {"label": "Сізге қонақ үйден бөлме керек пе?"},
    ),
    "Sessions you will attend in the evening": (
        {"label": "Вечерние мероприятия, в которых вы примете участие",
         "options": "Приветственный ужин\nКультурная программа"},
        {"label": "Кешкі іс-шаралардың қайсысына қатысасыз",
         "options": "Қарсы алу кешкі асы\nМәдени бағдарлама"},
    ),
    "Nomination letter of your institution": (
        {"label": "Письмо вашей организации о выдвижении"},
        {"label": "Ұйымыңыздың ұсыным хаты"},
    ),
}  # fmt: skip

# Invented in-person delegates of the Shanghai forum: (name, institution, member, mail
# language, answers by question number). Passport numbers are made up in a form no state
# issues (DEMO...).
SHANGHAI_DELEGATES = [
    ("Zhang Demo", "Shanghai Institutes for International Studies", "CHN", "en",
     {0: "None", 2: "2021-12-27", 3: "2021-12-30", 4: "CN", 5: "DEMO0001", 6: "no"}),
    ("Dana Demo", HOST, "KAZ", "kk",
     {0: "Halal", 2: "2021-12-26", 3: "2021-12-30", 4: "KZ", 5: "DEMO0002", 6: "yes",
      7: "Welcome dinner\nCultural programme"}),
    ("Farrukh Demo", "Institute for Strategic and Regional Studies", "UZB", "ru",
     {0: "Vegetarian", 1: "A room near the lift, please.", 2: "2021-12-27", 3: "2021-12-29",
      4: "UZ", 5: "DEMO0003", 6: "yes"}),
]  # fmt: skip

# Answers of the sample meeting's in-person people, by their name.
SAMPLE_ANSWERS = {
    "Aigerim Sample": {0: "Halal", 2: "+29", 3: "+32", 4: "KZ", 5: "DEMO1001", 6: "no"},
    "Wei Sample": {0: "None", 2: "+28", 3: "+32", 4: "CN", 6: "yes"},
    "Mehmet Sample": {0: "Vegetarian"},
}


def seed_questions(conference: Conference) -> list[Question]:
    """The demo questions of a conference, created once and kept as they are (in English,
    with our translations; given to questions seeded before they had any)."""
    existing = {
        q.label: q
        for q in db.session.scalars(db.select(Question).filter_by(conference_id=conference.id))
    }
    questions = []
    for position, (label, kind, options, required, audience, stage, sensitive) in enumerate(
        QUESTIONS, start=1
    ):
        question = existing.get(label)
        if question is None:
            question = Question(
                conference_id=conference.id, label=label, language="en", kind=kind,
                options=options,
                required=required, audience=audience, stage=stage, sensitive=sensitive,
                position=position,
            )  # fmt: skip
            db.session.add(question)
        if not question.translations and question.language == "en":
            russian, kazakh = TRANSLATIONS[label]
            question.translations = {"ru": russian, "kk": kazakh}
        questions.append(question)
    db.session.flush()
    return questions


def _answer(registration: Registration, question: Question, value: str) -> None:
    found = db.session.scalar(
        db.select(Answer).filter_by(registration_id=registration.id, question_id=question.id)
    )
    if found is None:
        db.session.add(
            Answer(registration_id=registration.id, question_id=question.id, value=value)
        )


def _sample_value(conference: Conference, value: str) -> str:
    """'+29' in the sample's answers: a date that many days from today (the meeting moves)."""
    if not value.startswith("+"):
        return value
    first = conference.local(conference.starts_at).date()
    days = int(value[1:]) - 30
    return first.fromordinal(first.toordinal() + days).isoformat()


def _shanghai_delegates(conference: Conference, questions: list[Question]) -> None:
    for name, institution, code, mail_language, answers in SHANGHAI_DELEGATES:
        email = name.lower().replace(" ", ".") + "@example.org"
        registration = db.session.scalar(
            db.select(Registration).filter_by(conference_id=conference.id, email=email)
        )
        if registration is None:
            registration = Registration(
                conference_id=conference.id, member=member_by_code(code), email=email, name=name,
                position="Research Fellow", **affiliation.columns(institution, "en"),
                mode=AttendanceMode.IN_PERSON, role=ParticipantRole.PARTICIPANT, language="en",
                mail_language=mail_language, consent_to_list=True,
                status=RegistrationStatus.APPROVED, email_confirmed_at=utcnow(),
            )  # fmt: skip
            db.session.add(registration)
            db.session.flush()
        for number, value in answers.items():
            _answer(registration, questions[number], value)


def _silhouette(colour: str) -> bytes:
    """A drawn head and shoulders standing in for a delegate's photo (no real person)."""
    image = Image.new("RGB", (600, 800), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((200, 170, 400, 410), fill="#f1e3d3")
    draw.ellipse((90, 470, 510, 980), fill="#2d3e50")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _demo_photos(registrations: list[Registration]) -> None:
    colours = ["#9ec5e8", "#b9dfc0", "#f3d9a4", "#d7c4ec"]
    for index, registration in enumerate(registrations):
        if (
            registration.mode is AttendanceMode.IN_PERSON
            and photos.photo_of(registration.id) is None
        ):
            photos.save_photo(registration, _silhouette(colours[index % 4]), photos.Crop())


def seed_delegates(sample: Conference) -> None:
    """Questions for the sample meeting and the Shanghai forum, with some answers and demo
    photos (drawn silhouettes); commits."""
    sample_questions = seed_questions(sample)
    people = list(db.session.scalars(db.select(Registration).filter_by(conference_id=sample.id)))
    for registration in people:
        for number, value in SAMPLE_ANSWERS.get(registration.name, {}).items():
            _answer(registration, sample_questions[number], _sample_value(sample, value))
    shanghai = db.session.scalar(db.select(Conference).filter_by(slug=SHANGHAI_SLUG))
    if shanghai is not None:
        _shanghai_delegates(shanghai, seed_questions(shanghai))
        people += db.session.scalars(db.select(Registration).filter_by(conference_id=shanghai.id))
    db.session.commit()
    _demo_photos(people)
