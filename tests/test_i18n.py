"""Templates render outside requests too (workers render mail), in the default language."""

from flask import Flask, render_template_string


def test_a_template_renders_in_a_worker_without_a_request(app: Flask) -> None:
    with app.app_context():
        assert render_template_string("{{ current_locale }}") == "en"


def test_the_chosen_language_is_remembered(app: Flask) -> None:
    client = app.test_client()
    assert '<html lang="ru"' in client.get("/?lang=ru").text
    assert '<html lang="ru"' in client.get("/").text


def test_the_browser_language_is_used_when_none_was_chosen(app: Flask) -> None:
    client = app.test_client()
    kazakh = {"Accept-Language": "kk, ru;q=0.5"}
    assert '<html lang="kk"' in client.get("/", headers=kazakh).text
    uzbek_reading_russian = {"Accept-Language": "uz, ru;q=0.5"}
    assert '<html lang="ru"' in app.test_client().get("/", headers=uzbek_reading_russian).text
    assert '<html lang="en"' in client.get("/", headers={"Accept-Language": "fr"}).text


def test_pages_tell_caches_they_follow_the_browser_language(app: Flask) -> None:
    response = app.test_client().get("/")
    assert "Accept-Language" in response.headers.get("Vary", "")
