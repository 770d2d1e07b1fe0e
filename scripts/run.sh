#!/usr/bin/env bash
# Run the app on this machine with demo data: http://127.0.0.1:5000
#
#   bash scripts/run.sh
#
# Sets up (or brings up to date) .venv, node_modules, static/vendor, translations and the
# database, loads the demo data once (it prints the demo sign-ins), then starts Flask's
# development server. Data lives in instance/participate.db (SQLite) unless DATABASE_URL is set.
# Stop it with Ctrl+C. HOST and PORT change where it listens.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

export FLASK_ENVIRONMENT="${FLASK_ENVIRONMENT:-development}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-5000}"

bash scripts/setup.sh
.venv/bin/flask --app app demo
echo "run: starting the app on http://$HOST:$PORT (Ctrl+C to stop)"
exec .venv/bin/flask --app app run --host "$HOST" --port "$PORT"
