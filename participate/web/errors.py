"""Friendly error pages; htmx requests get a short fragment the page script shows in place."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
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

    @app.errorhandler(500)
    def _server_error(error):
        db.session.rollback()
        return _page(500)
