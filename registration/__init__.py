"""The Flask application: `create_app` builds it, nothing happens at import time."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from registration import api, database_faults, operations, request_guard
from registration import config as config_module
from registration.accounts import sessions
from registration.database import end_read_only_requests_with_commit
from registration.extensions import babel, csrf, db, limiter, login_manager, migrate
from registration.i18n import N_, select_locale, translate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CAPABILITIES_WITH_MODELS = (
    "accounts",
    "directory",
    "conferences",
    "signup",
    "calendars",
    "mail",
    "jobs",
    "attendance",
    "invitations",
    "documents",
    "correspondence",
    "audit",
    "tokens",
    "staff",
    "delegates",
    "webhooks",
)
# Modules registering fan-out job handlers and mail composers (the jobs and mail packages
# import no capability; capabilities plug into them).
CAPABILITY_HANDLERS = (
    "registration.calendars.fanout",
    "registration.calendars.follow",
    "registration.calendars.panel_mail",
    "registration.calendars.reminders",
    "registration.calendars.removal",
    "registration.invitations.hooks",
    "registration.signup.mailing",
    "registration.signup.focal_points",
    "registration.signup.bulk",
    "registration.signup.promotion",
    "registration.attendance.fanout",
    "registration.attendance.badge_sheets",
    "registration.attendance.participant_lists",
    "registration.correspondence.dispatch",
    "registration.delegates.mailing",
    "registration.delegates.person",
    "registration.conferences.staff_roles",
    "registration.staff.account_admin",
    "registration.retention.services",
    "registration.webhooks.fanout",
    "registration.webhooks.mailing",
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        instance_relative_config=True,
    )
    app.config.from_mapping(config_module.load(app.instance_path))
    if config:
        app.config.from_mapping(config)
    # One size limit: Werkzeug answers 413 for a larger body or non-file form field.
    app.config["MAX_CONTENT_LENGTH"] = app.config["UPLOAD_MAX_BYTES"]
    app.config["MAX_FORM_MEMORY_SIZE"] = app.config["UPLOAD_MAX_BYTES"]
    database_faults.engine_options(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    operations.init_app(app)
    request_guard.init_app(app)
    db.init_app(app)
    end_read_only_requests_with_commit(app)
    database_faults.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    sessions.init_app(app)
    login_manager.login_view = "accounts.login"
    # Flashed in the language of the page that asked for a sign-in (?lang=, the browser's).
    login_manager.login_message = N_("Please sign in to reach the management pages.")
    login_manager.localize_callback = translate
    login_manager.login_message_category = "info"

    from registration import web
    from registration.directory import services as directory_services
    from registration.jobs import registry as job_registry
    from registration.staff import access as staff_access

    babel.init_app(app, locale_selector=select_locale)
    web.use_id_converter(app)
    web.init_app(app)
    job_registry.init_app(app)
    directory_services.init_app(app)
    staff_access.init_app(app)
    _register_capabilities(app)
    api.init_app(app)
    _register_delegates(app)

    from workers.setup import celery_init_app

    celery_init_app(app)
    return app


def _register_capabilities(app: Flask) -> None:
    for capability in CAPABILITIES_WITH_MODELS:
        importlib.import_module(f"registration.{capability}.models")
    for module in CAPABILITY_HANDLERS:
        importlib.import_module(module)
    from registration.about.views import bp as about_bp
    from registration.accounts.cli import cli as accounts_cli
    from registration.accounts.views import bp as accounts_bp
    from registration.attendance.checkin_api import api as attendance_api
    from registration.attendance.checkin_desk import bp as attendance_desk_bp
    from registration.attendance.join_views import public as attendance_public
    from registration.attendance.report_views import bp as attendance_reports_bp
    from registration.attendance.views import bp as attendance_bp
    from registration.calendars.views import bp as calendars_bp
    from registration.conferences import renames
    from registration.conferences.manage_views import bp as manage_bp
    from registration.conferences.public_views import bp as public_bp
    from registration.demo.cli import cli as demo_cli
    from registration.directory import institution_names
    from registration.invitations.views import bp as invitations_bp
    from registration.invitations.views import public as invitations_public_bp
    from registration.mail import services as mail_services
    from registration.mail.cli import cli as mail_cli
    from registration.operations.job_views import bp as jobs_bp
    from registration.operations.mail_views import bp as mail_bp
    from registration.signup.delegation_views import bp as delegation_bp
    from registration.signup.manage_views import bp as signup_manage_bp
    from registration.signup.views import bp as signup_bp

    for blueprint in (
        about_bp,
        accounts_bp,
        accounts_cli,
        public_bp,
        manage_bp,
        demo_cli,
        calendars_bp,
        signup_bp,
        signup_manage_bp,
        delegation_bp,
        attendance_bp,
        attendance_reports_bp,
        attendance_api,
        attendance_desk_bp,
        attendance_public,
        mail_bp,
        mail_cli,
        jobs_bp,
        invitations_bp,
        invitations_public_bp,
    ):
        app.register_blueprint(blueprint)
    mail_services.init_app(app)
    renames.init_hook()  # a renamed institution or member moves its panels' versions
    institution_names.init_hook()  # a saved institution's names are kept for the lookup
    _register_audit_and_retention(app)
    _register_correspondence(app)
    _register_staff(app)


def _register_correspondence(app: Flask) -> None:
    """Documents and their public pages; the register, notes verbales, contacts, dispatch."""
    from registration.correspondence.dispatch_views import bp as dispatch_bp
    from registration.correspondence.note_text_views import bp as note_text_bp
    from registration.correspondence.note_views import bp as notes_bp
    from registration.correspondence.register_views import bp as register_bp
    from registration.directory.contact_views import bp as contacts_bp
    from registration.documents.manage_views import bp as documents_manage_bp
    from registration.documents.public_views import bp as documents_bp
    from registration.documents.public_views import delegation as documents_delegation_bp

    for blueprint in (
        documents_bp,
        documents_manage_bp,
        documents_delegation_bp,
        register_bp,
        notes_bp,
        note_text_bp,
        contacts_bp,
        dispatch_bp,
    ):
        app.register_blueprint(blueprint)


def _register_delegates(app: Flask) -> None:
    """In-person delegates: questions and answers, badge photos, visa letters, /my."""
    from registration.delegates.manage_views import bp as letters_manage_bp
    from registration.delegates.person_views import bp as person_bp
    from registration.delegates.views import bp as delegates_bp
    from registration.signup.answer_views import bp as signup_answers_bp
    from registration.signup.photo_views import bp as signup_photos_bp
    from registration.signup.photo_views import manage as photos_manage_bp
    from registration.signup.question_views import bp as questions_manage_bp

    for blueprint in (
        signup_answers_bp,
        questions_manage_bp,
        signup_photos_bp,
        photos_manage_bp,
        delegates_bp,
        letters_manage_bp,
        person_bp,
    ):
        app.register_blueprint(blueprint)


def _register_audit_and_retention(app: Flask) -> None:
    """The audit log's pages and session hook; the retention pages and command."""
    from registration.audit import recorder
    from registration.audit_pages import watched
    from registration.audit_pages.views import bp as audit_bp
    from registration.retention.cli import cli as retention_cli
    from registration.retention.views import bp as retention_bp

    for blueprint in (audit_bp, retention_bp, retention_cli):
        app.register_blueprint(blueprint)
    watched.register_watches()
    recorder.init_hook()


def _register_staff(app: Flask) -> None:
    """One's own account, sign-ins and second factor; the staff pages; webhooks."""
    from registration.accounts.own_views import bp as own_account_bp
    from registration.accounts.two_factor_views import bp as two_factor_bp
    from registration.conferences import staff_roles
    from registration.conferences.staff_views import bp as staff_bp
    from registration.staff.admin_views import bp as staff_admin_bp
    from registration.webhooks.views import bp as webhooks_bp

    for blueprint in (own_account_bp, two_factor_bp, staff_bp, staff_admin_bp, webhooks_bp):
        app.register_blueprint(blueprint)
    staff_roles.init_app(app)
