"""The public form learns whether anyone listens in the statement that locks the settings
(`events.may_be_heard`), not by a read of its own: a subscription made, disabled, enabled
or deleted by another process is followed by the very next registration."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.jobs.models import Job
from registration.webhooks.fanout import KIND
from tests.signup_support import form_data, member_id, open_registration

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("members")]

# Another process (as another gunicorn worker or a Celery worker is): its own app, its own
# connections, the subscriptions service.
OTHER_PROCESS = textwrap.dedent(
    """
    import json, sys
    from registration import create_app
    from registration.accounts.models import User
    from registration.database import db
    from registration.webhooks import subscriptions
    from registration.webhooks.models import WebhookSubscription

    uri, action, argument = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "test-secret",
                      "WEBHOOK_ALLOWED_HOSTS": ["127.0.0.1"]})
    with app.app_context():
        if action == "create":
            owner = db.session.get(User, argument["owner"])
            made = subscriptions.create(owner, url="http://127.0.0.1:9/hooks",
                                        events=argument["events"],
                                        conference_id=argument["conference"])
            print(made.id)
        else:
            subscription = db.session.get(WebhookSubscription, argument)
            getattr(subscriptions, action)(subscription)
        db.engine.dispose()
    """
)


def in_other_process(app: Flask, action: str, argument: object) -> str:
    """Run a subscriptions service call in a new Python process on the test database."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, uri, action, json.dumps(argument)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def announced(app: Flask) -> list[str]:
    """The webhook jobs written so far: the registrations' ids they announce."""
    with app.app_context():
        jobs = db.session.scalars(db.select(Job).filter_by(kind=KIND).order_by(Job.created_at))
        return [job.subject["data"]["registration"]["id"] for job in jobs]


def test_the_next_registration_follows_subscriptions_changed_by_another_process(
    app: Flask, client: FlaskClient, make_organizer: Callable, make_conference: Callable
) -> None:
    conference_id = make_conference(slug="ttf9")
    open_registration(app, conference_id)
    owner = make_organizer()
    kaz = member_id(app, "KAZ")
    counter = iter(range(100))

    def register() -> int:
        email = f"p{next(counter)}@kisi.example"
        answer = client.post("/conferences/ttf9/register", data=form_data(kaz, email=email))
        assert answer.status_code == 302, answer.text
        with app.app_context():
            return db.session.scalar(
                db.text("SELECT id FROM registrations WHERE email = :e"), {"e": email}
            )

    register()
    assert announced(app) == [], "nobody listens: no job"
    made = {"owner": owner.id, "events": ["registration.created"], "conference": conference_id}
    subscription = int(in_other_process(app, "create", made))
    first = register()
    assert announced(app) == [first]
    in_other_process(app, "delete", subscription)
    register()
    assert announced(app) == [first]
    # A subscription to every conference, then one to other events only.
    every = {"owner": owner.id, "events": ["registration.created"], "conference": None}
    subscription = int(in_other_process(app, "create", every))
    second = register()
    assert announced(app) == [first, second]
    with app.app_context():
        db.session.execute(
            db.text("UPDATE webhook_subscriptions SET enabled = false WHERE id = :s"),
            {"s": subscription},
        )
        db.session.commit()
    register()
    assert announced(app) == [first, second], "a disabled subscription hears nothing"
    in_other_process(app, "enable", subscription)
    third = register()
    assert announced(app) == [first, second, third]
    in_other_process(app, "delete", subscription)
    other = {"owner": owner.id, "events": ["registration.approved"], "conference": conference_id}
    in_other_process(app, "create", other)
    register()
    assert announced(app) == [first, second, third], "a subscription to other events only"
