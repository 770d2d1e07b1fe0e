"""Health and readiness, for load balancers, process managers and monitoring.

- ``GET /healthz``: liveness. 200 while the app answers and its database does, else 503; the
  app reconnects by itself (``pool_pre_ping``), so a database restart shows as a few 503s.
- ``GET /readyz``: may this process take traffic? The database answers, its schema is at the
  migrations' head (``flask db upgrade`` has run) and, when configured, the shared rate-limit
  store (Redis) answers. 503 with the failing check named otherwise.

Neither is rate limited, logs a person or shows anything but these words.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from participate.extensions import db, limiter

bp = Blueprint("ops", __name__)
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@cache
def migration_heads() -> frozenset[str]:
    """The revisions the code expects the database to be at."""
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def database_check() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception as error:  # noqa: BLE001 - any failure means unreachable
        current_app.logger.warning("Health check could not reach the database: %s", error)
        db.session.rollback()
        return "unreachable"


def migrations_check() -> str:
    try:
        current = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception:  # noqa: BLE001 - no table yet: nothing migrated
        db.session.rollback()
        return "not migrated"
    return "ok" if current == set(migration_heads()) else "behind"


def rate_limit_store_check() -> str:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return "switched off"
    uri = str(current_app.config.get("RATELIMIT_STORAGE_URI", "memory://"))
    if uri.startswith("memory://"):
        return "in this process"
    try:
        return "ok" if limiter.storage.check() else "unreachable"
    except Exception:  # noqa: BLE001 - a storage error means unreachable
        return "unreachable"


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """Liveness and database reachability."""
    database = database_check()
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "unavailable", database=database), status


@bp.get("/readyz")
@limiter.exempt
def readyz():
    """Readiness: database, schema and shared stores."""
    checks = {"database": database_check()}
    checks["migrations"] = migrations_check() if checks["database"] == "ok" else "unknown"
    checks["rate_limits"] = rate_limit_store_check()
    ready = checks["database"] == "ok" and checks["migrations"] == "ok"
    ready = ready and checks["rate_limits"] in ("ok", "in this process", "switched off")
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503
