"""Running the app for real: structured logs, health and readiness, backups and restores.

- ``logs``: one JSON object per line, one line per request, nothing private in them;
- ``health``: ``/healthz`` (is the app up and its database reachable) and ``/readyz`` (may it
  take traffic: database, migrations at head, Redis when configured);
- ``backup``: ``flask backup create`` and ``flask backup restore`` for SQLite and PostgreSQL.
"""
