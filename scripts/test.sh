#!/usr/bin/env bash
# Run the whole test suite.
#
#   bash scripts/test.sh [--postgres] [pytest args...]
#
# Always: setup with test deps (Debian's Chromium for the browser tests), a check that the
# migrations build an empty SQLite database and match the models, then pytest on SQLite.
# With CI=true or --postgres, also: install/start PostgreSQL (loopback only), the same migration
# check on a scratch PostgreSQL database, and pytest once more on PostgreSQL
# (TEST_DATABASE_URL=postgresql://app:app@127.0.0.1:5432/postgres) at the same time as the
# SQLite one; the browser tests run on PostgreSQL only.
#
# Exits non-zero if any step fails, or if pytest collected no tests.
# Other arguments go to pytest, e.g.  bash scripts/test.sh -x -k budgeting
# Environment: PYTEST_TIMEOUT (seconds per pytest run under CI, default 1800),
#              SKIP_DB_CHECK=1 skips `flask db check` (models vs migrations),
#              PG_CLUSTER=VERSION/NAME picks the PostgreSQL cluster (default: the first listed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

POSTGRES=0
[ "${CI:-}" = "true" ] && POSTGRES=1
PYTEST_ARGS=()
for arg in "$@"; do
  case "$arg" in
    --postgres) POSTGRES=1 ;;
    *) PYTEST_ARGS+=("$arg") ;;
  esac
done

START=$SECONDS
FAILED=()
say() { printf 'test: %s\n' "$*"; }
die() { printf 'test: %s\n' "$*" >&2; exit 1; }
fail() { printf 'test: FAILED: %s\n' "$*" >&2; FAILED+=("$*"); }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $*"
  fi
}

bash scripts/setup.sh --with-test-deps

FLASK=(.venv/bin/flask --app app)

# ---- PostgreSQL (loopback only) ---------------------------------------------------------------
PG_PORT=5432
psql_admin() {  # SQL on stdin, run as the postgres superuser
  as_root su postgres -s /bin/sh -c "cd / && psql -X -q -v ON_ERROR_STOP=1 -p $PG_PORT -d postgres"
}
psql_app() {  # psql as the app role over TCP
  PGPASSWORD=app psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U app -d postgres "$@"
}

start_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    say "apt-get install postgresql"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      postgresql </dev/null >/dev/null
  fi
  # The cluster: PG_CLUSTER=VERSION/NAME if set, else the first one listed (15/main on Debian 12).
  local want="${PG_CLUSTER:-}" version="" name="" port="" status=""
  pg_cluster_line() {
    pg_lsclusters --no-header 2>/dev/null |
      awk -v want="$want" 'want == "" || $1 "/" $2 == want { print; exit }'
  }
  read -r version name port status _ < <(pg_cluster_line) || true
  if [ -z "$version" ]; then
    if [ -n "$want" ]; then
      version="${want%%/*}"; name="${want#*/}"
    else
      version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)"; name=main
    fi
    say "pg_createcluster $version $name"
    as_root pg_createcluster "$version" "$name" >/dev/null
    want="$version/$name"
    read -r version name port status _ < <(pg_cluster_line)
  fi
  PG_PORT="$port"
  if [ "$status" != "online" ]; then
    say "starting PostgreSQL $version/$name on port $PG_PORT"
    # Tolerate a start that races with another one: what matters is that it is online after.
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start ||
      pg_lsclusters --no-header | awk -v c="$version/$name" '$1 "/" $2 == c && $4 == "online" { ok = 1 } END { exit !ok }' ||
      die "could not start PostgreSQL $version/$name"
  else
    say "PostgreSQL $version/$name already running on port $PG_PORT"
  fi
  local _try
  for _try in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
    sleep 1
  done
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" || die "PostgreSQL did not become ready on port $PG_PORT"
  psql_admin <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') THEN
    CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB;
  END IF;
END
$$;
-- Dropping a test database WITH (FORCE) may have to stop an autovacuum worker on it.
GRANT pg_signal_backend TO app;
SQL
  psql_app -tAc 'SELECT 1' >/dev/null ||
    die "cannot sign in to PostgreSQL as app/app on 127.0.0.1:$PG_PORT (role exists with another password?)"
}

# ---- migrations from empty --------------------------------------------------------------------
# Runs `flask db upgrade` (and `flask db check`: the models match the migrations) against the
# database named by the environment given as arguments.
check_migrations() {
  local label="$1"; shift
  local out
  if ! out="$(env -u DATABASE_URL -u FLASK_SQLALCHEMY_DATABASE_URI "$@" "${FLASK[@]}" db upgrade 2>&1)"; then
    printf '%s\n' "$out" >&2
    fail "flask db upgrade from empty on $label"
    return
  fi
  say "flask db upgrade from empty on $label: ok"
  if [ "${SKIP_DB_CHECK:-0}" != "1" ]; then
    if ! out="$(env -u DATABASE_URL -u FLASK_SQLALCHEMY_DATABASE_URI "$@" "${FLASK[@]}" db check 2>&1)"; then
      printf '%s\n' "$out" | grep -v 'alembic.runtime.plugins' >&2
      fail "flask db check on $label: the models and the migrations differ (write a migration)"
      return
    fi
    say "flask db check on $label: models match migrations"
  fi
}

SCRATCH="$(mktemp -d)"
PG_SCRATCH_DB=""
cleanup() {
  rm -rf "$SCRATCH"
  if [ -n "$PG_SCRATCH_DB" ]; then
    psql_app -c "DROP DATABASE IF EXISTS \"$PG_SCRATCH_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

check_migrations SQLite FLASK_SQLALCHEMY_DATABASE_URI="sqlite:///$SCRATCH/migrations.db"

if [ "$POSTGRES" = "1" ]; then
  start_postgres
  PG_SCRATCH_DB="participate_migrations_$$_$RANDOM"
  psql_app -c "CREATE DATABASE \"$PG_SCRATCH_DB\""
  check_migrations PostgreSQL DATABASE_URL="postgresql://app:app@127.0.0.1:$PG_PORT/$PG_SCRATCH_DB"
  psql_app -c "DROP DATABASE IF EXISTS \"$PG_SCRATCH_DB\" WITH (FORCE)"
  PG_SCRATCH_DB=""
fi

# ---- pytest -----------------------------------------------------------------------------------
run_pytest() {  # run_pytest LABEL MARKS [VAR=value...]   (MARKS: a -m expression, or "")
  local label="$1" marks="$2"; shift 2
  local wrap=() rc=0 select=()
  [ -n "$marks" ] && select=(-m "$marks")
  if [ "${CI:-}" = "true" ] && command -v timeout >/dev/null 2>&1; then
    wrap=(timeout --kill-after=30 "${PYTEST_TIMEOUT:-1800}")
  fi
  say "pytest on $label"
  env "$@" "${wrap[@]}" .venv/bin/python -m pytest "${select[@]}" "${PYTEST_ARGS[@]}" || rc=$?
  case "$rc" in
    0) say "pytest on $label: passed" ;;
    5) fail "pytest on $label collected no tests" ;;
    124|137) fail "pytest on $label took longer than ${PYTEST_TIMEOUT:-1800}s and was stopped" ;;
    *) fail "pytest on $label (exit code $rc)" ;;
  esac
}

if [ "$POSTGRES" = "1" ]; then
  # The browser tests drive the same pages as the web tests, so each runs once: two thirds of
  # the files (marked browser_sqlite) on SQLite, the rest on PostgreSQL; tests marked
  # ci_sqlite_only (the crawl by role) on SQLite only; everything else
  # runs on both. The SQLite run goes on beside the PostgreSQL one (PostgreSQL spends much of
  # its time waiting on the disk, so the two share two cores well). Its output is printed when
  # it ends.
  sqlite_log="$SCRATCH/pytest-sqlite.log"
  (run_pytest SQLite "not browser or browser_sqlite" -u TEST_DATABASE_URL
    [ "${#FAILED[@]}" -eq 0 ]) >"$sqlite_log" 2>&1 &
  sqlite_pid=$!
  run_pytest PostgreSQL "not browser_sqlite and not ci_sqlite_only" \
    TEST_DATABASE_URL="postgresql://app:app@127.0.0.1:$PG_PORT/postgres"
  sqlite_ok=1
  wait "$sqlite_pid" || sqlite_ok=0
  say "pytest on SQLite, which ran beside PostgreSQL:"
  cat "$sqlite_log"
  [ "$sqlite_ok" = 1 ] || fail "pytest on SQLite (its output is above)"
else
  # Without --postgres a TEST_DATABASE_URL already in the environment is used as it is.
  if [ -n "${TEST_DATABASE_URL:-}" ]; then run_pytest TEST_DATABASE_URL ""
  else run_pytest SQLite ""; fi
fi

if [ "${#FAILED[@]}" -gt 0 ]; then
  say "${#FAILED[@]} step(s) failed in $((SECONDS - START))s:"
  printf 'test:   - %s\n' "${FAILED[@]}"
  exit 1
fi
say "all passed in $((SECONDS - START))s"
