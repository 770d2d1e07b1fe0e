"""Friendly error pages; htmx requests get a short fragment the page script shows in place."""

from __future__ import annotations

from contextlib import suppress

from flask import Flask, current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import InternalError, OperationalError
from werkzeug.exceptions import HTTPException

from participate.extensions import db
from participate.text import N_

MESSAGES = {
    400: (N_("Something was wrong with that request"), N_("Please go back and try again.")),
    403: (
        N_("You can't do that here"),
        N_("If you think you should be able to, ask a facilitator."),
    ),
    404: (
        N_("We can't find that page"),
        N_("Check the address, or go back to your home page."),
    ),
    405: (N_("That didn't work"), N_("Please go back and try again.")),
    429: (
        N_("Too many tries"),
        N_(
            "For everyone's safety we've paused this for a short while. "
            "Please wait a minute, then try again."
        ),
    ),
    503: (
        N_("We can't save or show that right now"),
        N_(
            "Our records are not available for a moment, so nothing was changed. Please try "
            "again in a few minutes. If you were filling in a form, go back: your browser "
            "usually keeps what you typed."
        ),
    ),
    500: (
        N_("Something went wrong on our side"),
        N_("It's not your fault. We've been told about it. Please try again in a few minutes."),
    ),
}


def _page(status: int, heading: str | None = None, detail: str | None = None):
    default_heading, default_detail = MESSAGES.get(status, MESSAGES[400])
    return (
        render_template(
            "errors/error.html",
            status=status,
            heading=_(heading or default_heading),
            detail=_(detail or default_detail),
        ),
        status,
    )


def bare_page(status: int) -> str:
    """The error page as plain HTML, drawn without templates (their context needs the
    database, to know who is signed in) and in English if even the language is unknown."""
    heading, detail = MESSAGES[status]
    lang = "en"
    with suppress(Exception):  # no language known: English is better than nothing
        lang = str(get_locale() or "en")
        heading, detail = _(heading), _(detail)
    return (
        f'<!doctype html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(heading)}</title></head>"
        f"<body><main><h1>{escape(heading)}</h1><p>{escape(detail)}</p>"
        '<p><a href="/">Participate</a></p></main></body></html>\n'
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return _page(
            400,
            N_("This form had expired"),
            N_(
                "For your safety, forms stop working after a while or when sent from another "
                "site. Please go back, reload the page and try again. Nothing was changed."
            ),
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return _page(error.code if error.code in MESSAGES else 400)

    # OperationalError: unreachable, restarting, disk full, SQLite read-only; InternalError:
    # PostgreSQL's read-only transactions. Anything else from the database is a bug: a 500.
    @app.errorhandler(OperationalError)
    @app.errorhandler(InternalError)
    def _database(error: OperationalError | InternalError):
        """The database refused or could not be reached: read-only, disk full, restarting.
        A plain 503 page, never a stack trace; the log has the error's type and the SQL
        without its values (``hide_parameters``)."""
        db.session.rollback()
        current_app.logger.error(
            "The database failed: %s", type(error.orig).__name__, exc_info=error
        )
        try:
            return _page(503)
        except Exception:  # noqa: BLE001 - the page itself needs the database (who is signed in)
            db.session.rollback()
            return bare_page(503), 503

    @app.errorhandler(500)
    def _server_error(error):
        db.session.rollback()
        return _page(500)
