"""The participation platform: ``create_app()`` builds the Flask app."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from participate import config
from participate.extensions import (
    babel,
    csrf,
    db,
    limiter,
    login_manager,
    mail,
    migrate,
    select_locale,
)

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_relative_config=True,
    )
    config.load(app, overrides)
    if app.config.get("PROXY_FIX", app.config["ENVIRONMENT"] == "production"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "translations"),
    )
    login_manager.init_app(app)

    from participate.ops import health, logs
    from participate.web import errors, layout, security

    logs.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    layout.init_app(app)

    from participate.accounts import admin as accounts_admin
    from participate.accounts import auth, spaces
    from participate.accounts import views as accounts_views
    from participate.audit import views as audit_views
    from participate.budgeting import views as budgeting_views
    from participate.commissions import views as commission_views
    from participate.decisions import views as decision_views
    from participate.grants import views as grant_views
    from participate.links import views as link_views
    from participate.notices import models as notice_models  # noqa: F401 - tables for migrations
    from participate.public import opendata, places
    from participate.web import views as web_views

    app.register_blueprint(web_views.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(spaces.bp)
    app.register_blueprint(accounts_admin.bp)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(commission_views.bp)
    app.register_blueprint(decision_views.bp)
    app.register_blueprint(decision_views.public_bp)
    app.register_blueprint(budgeting_views.bp)
    app.register_blueprint(grant_views.bp)
    app.register_blueprint(link_views.bp)
    app.register_blueprint(places.bp)
    opendata.init_app(app)  # the ZIP, the JSON API and `flask public`
    auth.init_app(app)

    from participate import demo
    from participate.accounts.cli import accounts_cli
    from participate.budgeting.cli import budgeting_cli
    from participate.grants.cli import grants_cli
    from participate.notices.cli import notices_cli
    from participate.ops.backup import backup_cli

    app.cli.add_command(demo.demo_command)
    app.cli.add_command(accounts_cli)
    app.cli.add_command(budgeting_cli)
    app.cli.add_command(grants_cli)
    app.cli.add_command(notices_cli)
    app.cli.add_command(backup_cli)
    return app
