"""Configuration: defaults first, then ``FLASK_*`` environment variables, then overrides.

Three environments:

- ``development`` (the default): a secret key is generated once and kept in ``instance/``.
- ``testing``: set by the test suite.
- ``production``: set ``FLASK_ENVIRONMENT=production``; the app refuses to start without
  ``FLASK_SECRET_KEY`` and serves secure cookies only.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULTS: dict[str, object] = {
    "ENVIRONMENT": "development",
    "SECRET_KEY": None,  # production refuses to start without one  # nosec B105
    "SQLALCHEMY_DATABASE_URI": "sqlite:///participate.db",
    # hide_parameters: a database error names the SQL, never the values (a story, an email).
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
    # CSRF tokens live as long as the session: a page left open over lunch still works.
    "WTF_CSRF_TIME_LIMIT": None,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_HEADERS_ENABLED": True,
    "SIGN_IN_RATE_LIMIT": "10 per minute;40 per hour",
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "Europe/London",
    "LANGUAGES": {"en": "English", "cy": "Cymraeg"},
    "MAIL_BACKEND": "console",
    "MAIL_DEFAULT_SENDER": "Participate <no-reply@participate.invalid>",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # How long the one-time things we hand out stay valid, in hours.
    "SIGN_IN_LINK_HOURS": 1,
    "PASSWORD_RESET_HOURS": 2,  # hours, not a password  # nosec B105
    "PAPER_CODE_HOURS": 24 * 14,
    "INVITATION_HOURS": 24 * 14,
    # argon2id cost (participate.accounts.auth): OWASP's settings; the test suite lowers it.
    "ARGON2_PROFILE": "OWASP",
    "PLACE_NAME": "Participate",
    # Logs (participate.ops.logs): "json" or "text"; None means json in production.
    "LOG_FORMAT": None,
    "LOG_LEVEL": "INFO",
    # The biggest request body we read (a project picture is at most 5 MB; see budgeting/images).
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
}


class ConfigError(RuntimeError):
    """The app was started with settings it must not run with."""


def database_url_from_env() -> str | None:
    """``DATABASE_URL`` as SQLAlchemy wants it (``postgresql+psycopg://``)."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load(app, overrides: dict | None = None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env()
    url = database_url_from_env()
    if url:
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    redis_url = os.environ.get("REDIS_URL")
    if redis_url and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = redis_url
    if overrides:
        app.config.from_mapping(overrides)
    _check(app)


def _check(app) -> None:
    env = app.config["ENVIRONMENT"]
    if env not in {"development", "testing", "production"}:
        raise ConfigError(f"Unknown ENVIRONMENT {env!r}: use development, testing or production.")
    if env == "production":
        if not app.config.get("SECRET_KEY"):
            raise ConfigError(
                "Production needs a secret key: set FLASK_SECRET_KEY to a long random string "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config.setdefault("PREFERRED_URL_SCHEME", "https")
        if app.config["MAIL_BACKEND"] == "console":
            app.config["MAIL_BACKEND"] = "smtp"
    elif not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _development_secret(Path(app.instance_path))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite has no connection pool to pre-ping.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options.pop("pool_pre_ping", None)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _development_secret(instance: Path) -> str:
    """A secret kept in ``instance/`` so sign-ins survive a restart of the development server."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
