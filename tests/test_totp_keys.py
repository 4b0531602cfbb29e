"""Two-factor keys are sealed at rest (Fernet): the database holds no key an authenticator
app could be set up from; TOTP_SECRET_KEYS rotates (newest first, `reseal-totp-keys`); a key
sealed under a key that is gone refuses every app code (never a server error) and leaves
the recovery codes working."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from registration import config as settings
from registration.accounts import totp_keys
from registration.accounts.models import User
from registration.database import db
from tests.test_two_factor import _code, _enrol, _password_step

EMAIL = "organizer@cica.example"


@pytest.fixture
def keys_setting(app: Flask) -> Iterator[None]:
    saved = app.config["TOTP_SECRET_KEYS"]
    yield
    app.config["TOTP_SECRET_KEYS"] = saved


def stored(app: Flask) -> str:
    with app.app_context():
        return db.session.execute(
            text("SELECT totp_secret FROM users WHERE email = :email"), {"email": EMAIL}
        ).scalar_one()


def signs_in_with(app: Flask, code: str) -> int:
    browser = app.test_client()
    _password_step(browser, EMAIL)
    return browser.post("/account/login/code", data={"code": code}).status_code


def test_the_database_holds_the_key_sealed(app: Flask, organizer_client: FlaskClient) -> None:
    secret, _ = _enrol(organizer_client)
    sealed = stored(app)
    assert secret not in sealed
    assert sealed.startswith("gAAAA")  # a Fernet token
    with app.app_context():
        user = db.session.scalars(db.select(User).filter_by(email=EMAIL)).one()
        assert (user.has_two_factor, user.totp_secret) == (True, secret)
    assert signs_in_with(app, _code(secret, 1)) == 302


def test_keys_rotate_newest_first_and_reseal(
    app: Flask, organizer_client: FlaskClient, keys_setting: None
) -> None:
    secret, _ = _enrol(organizer_client)  # sealed under SECRET_KEY's derived key
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    app.config["TOTP_SECRET_KEYS"] = [first]
    assert signs_in_with(app, _code(secret, 1)) == 302  # the derived key still opens it

    result = app.test_cli_runner().invoke(args=["reseal-totp-keys"])
    assert "1 two-factor keys sealed under the first key." in result.output
    assert Fernet(first.encode()).decrypt(stored(app).encode()).decode() == secret

    app.config["TOTP_SECRET_KEYS"] = [second, first]
    app.test_cli_runner().invoke(args=["reseal-totp-keys"])
    app.config["TOTP_SECRET_KEYS"] = [second]  # the old key dropped
    assert Fernet(second.encode()).decrypt(stored(app).encode()).decode() == secret
    with app.app_context():
        user = db.session.scalars(db.select(User).filter_by(email=EMAIL)).one()
        assert user.totp_secret == secret


def test_a_key_sealed_under_a_lost_key_refuses_codes_and_keeps_recovery(
    app: Flask, organizer_client: FlaskClient
) -> None:
    secret, codes = _enrol(organizer_client)
    lost = Fernet(Fernet.generate_key()).encrypt(secret.encode()).decode()
    with app.app_context():
        db.session.execute(
            text("UPDATE users SET totp_secret = :lost WHERE email = :email"),
            {"lost": lost, "email": EMAIL},
        )
        db.session.commit()
    assert signs_in_with(app, _code(secret, 1)) == 422
    assert signs_in_with(app, codes[0]) == 302
    with app.app_context():
        user = db.session.scalars(db.select(User).filter_by(email=EMAIL)).one()
        with pytest.raises(totp_keys.UnreadableTotpKeyError):
            _ = user.totp_secret


def test_a_setting_that_is_not_a_fernet_key_stops_the_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOTP_SECRET_KEYS", f"{Fernet.generate_key().decode()}, not-a-key")
    with pytest.raises(ValueError, match="TOTP_SECRET_KEYS holds a value that is not a Fernet"):
        settings._fernet_keys("TOTP_SECRET_KEYS")
    monkeypatch.setenv("TOTP_SECRET_KEYS", "")
    assert settings._fernet_keys("TOTP_SECRET_KEYS") == []
