"""Structured logs: one JSON object per line on standard error, for the app's own messages and
one ``request`` line per request.

A request line holds the method, the route's pattern (``/sign-in/link/<secret>``, never the
path with its values in it), the endpoint, status, time taken, response size, a request id
(taken from a well-formed ``X-Request-ID`` header, else made here, and sent back) and the
signed-in person's id. Never the query string, a form field, a body, a cookie or another
header: story text, passwords and one-time secrets travel only in those. Every message also
goes through ``scrub``, which hides email addresses, ``password=…``-style pairs and anything
shaped like a secret, in case a message or an error carries one. SQL parameters are kept out
of database errors by the engine (``hide_parameters``, see ``config``).

``LOG_FORMAT``: ``json`` (the default in production) or ``text`` (elsewhere); ``LOG_LEVEL``:
``INFO`` unless set.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, request
from flask.logging import default_handler
from sqlalchemy import inspect

from participate.web.htmx import is_htmx

HANDLER_NAME = "participate-json"
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}")
_PAIR = re.compile(
    r"(?i)\b(password|passwd|secret|token|code|csrf_token|authorization|cookie)"
    r"(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s&,;]+)"
)
# A run of 24 or more letters, digits, - and _ with at least one digit: the shape of the
# secrets we hand out (secrets.token_urlsafe) and of session cookies, not of words.
_SECRETISH = re.compile(r"(?<![A-Za-z0-9_-])(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{24,}(?![A-Za-z0-9_-])")
HIDDEN = "[hidden]"


def scrub(text: str) -> str:
    """``text`` with email addresses, secret pairs and secret-shaped runs hidden."""
    text = _EMAIL.sub("[email]", text)
    text = _PAIR.sub(lambda m: f"{m.group(1)}{m.group(2)}{HIDDEN}", text)
    return _SECRETISH.sub(HIDDEN, text)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, and the record's ``fields``
    (given as ``extra={"fields": {...}}``); an error's type and scrubbed traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            entry["traceback"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Readable lines for a developer's terminal, scrubbed the same way."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s [%(name)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = scrub(super().format(record))
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line += " " + " ".join(f"{k}={v}" for k, v in fields.items())
        return line


def _handler(fmt: str) -> logging.Handler:
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    return handler


def configure(app: Flask) -> None:
    """Send the root logger's records to standard error in ``LOG_FORMAT``, once per process
    (a second app in the same process, as in the tests, replaces the handler)."""
    fmt = app.config.get("LOG_FORMAT") or (
        "json" if app.config["ENVIRONMENT"] == "production" else "text"
    )
    level = str(app.config.get("LOG_LEVEL") or "INFO").upper()
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(_handler(fmt))
    root.setLevel(level)
    app.logger.removeHandler(default_handler)  # its records reach the root handler instead
    if fmt == "json":
        # The development server's own access lines carry whole paths (and so secrets).
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        logging.getLogger("participate.requests").setLevel(logging.NOTSET)
    else:
        # On a developer's terminal the development server prints each request already.
        logging.getLogger("participate.requests").setLevel(logging.WARNING)


def _request_id() -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if REQUEST_ID.match(given) else uuid.uuid4().hex


def request_fields(response) -> dict:
    """What a request line says: nothing a person typed, and no path values."""
    rule = request.url_rule
    # Only a person already loaded for this request: loading one here could fail again when
    # the database is what went wrong.
    # ``identity`` reads the id without going back to the database after a commit.
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    person = str(state.identity[0]) if state is not None and state.identity else None
    started = g.get("log_started")
    return {
        "event": "request",
        "request_id": g.get("request_id"),
        "method": request.method,
        "route": rule.rule if rule is not None else None,
        "endpoint": request.endpoint,
        "status": response.status_code,
        "ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "bytes": response.calculate_content_length(),
        "person": person,
        "htmx": is_htmx(),
    }


def init_app(app: Flask) -> None:
    if not app.config.get("TESTING") or app.config.get("LOG_FORMAT"):
        configure(app)
    requests_log = logging.getLogger("participate.requests")

    @app.before_request
    def _start():
        g.log_started = time.perf_counter()
        g.request_id = _request_id()

    @app.after_request
    def _log(response):
        if g.get("request_id"):
            response.headers["X-Request-ID"] = g.request_id
            if request.endpoint != "static":
                requests_log.info("request", extra={"fields": request_fields(response)})
        return response
