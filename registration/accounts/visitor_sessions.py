"""Anonymous visitors' sessions in a signed cookie; everything else in the server-side store.

Flask-Session would store a session for every visitor who sees a form (its CSRF token): a
store write on the first page and a read and a write on every form sent, for people who
never sign in. `VisitorsInCookies` keeps a session that holds only VISITOR_KEYS in a signed
cookie of its own (Flask's `SecureCookieSessionInterface`, as before sessions moved to the
server) and hands every other session to Flask-Session: a request that brings the store's
cookie uses the store, and a cookie session that gains any other key (Flask-Login's user,
the sign-in's key, a pending two-factor step) is moved to the store under a new id at the
end of that request, and its cookie deleted. A stored session left with visitor's keys only
(signed out) goes back to a cookie.
"""

from __future__ import annotations

from flask import Flask, Request, Response
from flask.sessions import (
    SecureCookieSession,
    SecureCookieSessionInterface,
    SessionInterface,
    SessionMixin,
)
from flask_session.base import ServerSideSession, ServerSideSessionInterface

# What an anonymous visitor's session may hold: the form token, flash messages, the chosen
# language and their own registration's result page (its id and manage token); Flask's
# permanence flag, and Flask-Login's "not a fresh sign-in" mark.
VISITOR_KEYS = frozenset(
    {"csrf_token", "_flashes", "lang", "signup_result", "_permanent", "_fresh"}
)


class _VisitorCookie(SecureCookieSessionInterface):
    """Flask's signed-cookie session under its own cookie name."""

    def get_cookie_name(self, app: Flask) -> str:
        secure = app.config["SESSION_COOKIE_SECURE"]
        return "__Host-visitor" if secure else "visitor"


class VisitorsInCookies(SessionInterface):
    """A session interface: visitors' sessions in a signed cookie, others in the store."""

    def __init__(self, store: ServerSideSessionInterface) -> None:
        self.store = store
        self.cookie = _VisitorCookie()

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if app.config["SESSION_COOKIE_NAME"] in request.cookies:
            return self.store.open_session(app, request)
        return self.cookie.open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        visitor_cookie = self.cookie.get_cookie_name(app)
        visitor = set(session) <= VISITOR_KEYS
        if isinstance(session, ServerSideSession):
            if visitor and session:  # signed out: back to a visitor's cookie
                cookie = SecureCookieSession(dict(session))
                cookie.modified = True
                self.cookie.save_session(app, cookie, response)
                session.clear()  # Flask-Session then deletes the stored session and its cookie
                session.modified = True
            self.store.save_session(app, session, response)
            return
        if visitor:
            self.cookie.save_session(app, session, response)
            return
        sid = self.store._generate_sid(self.store.sid_length)
        stored = self.store.session_class(dict(session), sid=sid, permanent=self.store.permanent)
        stored.modified = True
        self.store.save_session(app, stored, response)
        response.delete_cookie(
            visitor_cookie,
            domain=self.cookie.get_cookie_domain(app),
            path=self.cookie.get_cookie_path(app),
        )

    def regenerate(self, session: SessionMixin) -> None:
        """A new session id (at sign-in): a visitor's session gets one when it moves to the
        store at the end of the request."""
        if isinstance(session, ServerSideSession):
            self.store.regenerate(session)
