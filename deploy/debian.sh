#!/usr/bin/env bash
# Set up Participate for production on one Debian 12 machine: PostgreSQL, Redis, the app under
# gunicorn and systemd, timers for emails and backups, and nginx in front if asked for.
# Run it as root from a checkout of the app. Safe to run again: it keeps the database, the
# settings in /etc/participate/env and the backups, brings the code and its packages up to
# date, runs the migrations and restarts the app.
#
#   sudo bash deploy/debian.sh --site-url https://participate.example.org [--with-nginx]
#
# Options:
#   --site-url URL   the address people use, https://host (needed the first time, when
#                    /etc/participate/env is written: it becomes FLASK_SITE_URL)
#   --with-nginx     also install nginx and this app's site (deploy/nginx.conf)
#   -h, --help       show this text
#
# Environment:
#   APP_DIR          where the app runs from (default /srv/participate). The checkout is
#                    copied there without .venv, node_modules, instance and .git, unless this
#                    script is run from that folder already.
#
# Steps: apt packages; the system user "participate"; the app's files in APP_DIR; folders;
# /etc/participate/env (first run only); PostgreSQL role and database; Redis;
# scripts/setup.sh (Python and npm packages, translations, migrations); the systemd units
# (only printed when systemd is not running); nginx (with --with-nginx); then it waits for
# /readyz. README.md, "Running at scale", says more.
set -euo pipefail
umask 022

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_DIR="${APP_DIR:-/srv/participate}"
APP_USER=participate
ETC_DIR=/etc/participate
ENV_FILE="$ETC_DIR/env"
BACKUP_DIR=/var/backups/participate
UNITS=(participate.service participate-notices.service participate-notices.timer
       participate-backup.service participate-backup.timer)

SITE_URL=""
WITH_NGINX=0

say() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf 'debian.sh: %s\n' "$*" >&2; exit 1; }
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

while [ "$#" -gt 0 ]; do
  case "$1" in
    --site-url) [ "$#" -ge 2 ] || die "--site-url needs a URL"; SITE_URL="$2"; shift 2 ;;
    --site-url=*) SITE_URL="${1#--site-url=}"; shift ;;
    --with-nginx) WITH_NGINX=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) printf 'debian.sh: unknown option %s (try --help)\n' "$1" >&2; exit 2 ;;
  esac
done

# ---- checks before anything changes --------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "run this as root (sudo bash deploy/debian.sh ...)"
command -v apt-get >/dev/null 2>&1 || die "this script is for Debian 12 (no apt-get here)"
[ -f "$SRC/app.py" ] && [ -f "$SRC/scripts/setup.sh" ] || die "run it from a checkout of the app"
APP_DIR="${APP_DIR%/}"
[[ "$APP_DIR" =~ ^/[^/]+/[^/]+ ]] ||
  die "APP_DIR must be an absolute path at least two folders deep, like /srv/participate"
if [ -d "$APP_DIR" ] && [ ! -f "$APP_DIR/app.py" ] && [ -n "$(ls -A "$APP_DIR")" ]; then
  # The copy deletes what the checkout does not have: never do that to some other folder.
  die "$APP_DIR holds files but no app.py: choose an empty folder or an earlier copy of the app"
fi

if [ -n "$SITE_URL" ]; then
  SITE_URL="${SITE_URL%/}"
  [[ "$SITE_URL" =~ ^https://[A-Za-z0-9.-]+(:[0-9]+)?$ ]] ||
    die "--site-url must look like https://participate.example.org (HTTPS, no path), not $SITE_URL"
fi
if [ ! -f "$ENV_FILE" ] && [ -z "$SITE_URL" ]; then
  die "the first run needs --site-url https://your.host (links in emails point there)"
fi

SYSTEMD=0
[ -d /run/systemd/system ] && SYSTEMD=1

# ---- 1. apt packages -----------------------------------------------------------------------
say "Debian packages"
PACKAGES=(postgresql redis-server python3 python3-venv curl ca-certificates)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)  # Debian's Node.js 18; npm ci only unpacks
[ "$WITH_NGINX" = 1 ] && PACKAGES+=(nginx)
MISSING=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || MISSING+=("$pkg")
done
if [ "${#MISSING[@]}" -gt 0 ]; then
  note "apt-get install ${MISSING[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${MISSING[@]}" </dev/null >/dev/null
else
  note "already installed: ${PACKAGES[*]}"
fi

# ---- 2. the system user --------------------------------------------------------------------
say "System user $APP_USER"
if getent passwd "$APP_USER" >/dev/null; then
  note "exists"
else
  useradd --system --user-group --home-dir /var/lib/participate --shell /usr/sbin/nologin \
    --comment "Participate web app" "$APP_USER"
  note "created (home /var/lib/participate)"
fi
# Its home holds caches (fontconfig's, for PDFs); nothing else.
install -d -o "$APP_USER" -g "$APP_USER" -m 0750 /var/lib/participate

# ---- 3. the app's files --------------------------------------------------------------------
say "App files in $APP_DIR"
EXCLUDES=(.venv node_modules instance .git .setup-stamps static/vendor .pytest_cache
          .ruff_cache .hypothesis test-results)
if [ -d "$APP_DIR" ] && [ "$(cd "$APP_DIR" && pwd -P)" = "$(cd "$SRC" && pwd -P)" ]; then
  note "running from $APP_DIR: using it in place"
else
  mkdir -p "$APP_DIR"
  if command -v rsync >/dev/null 2>&1; then
    args=()
    for e in "${EXCLUDES[@]}"; do args+=("--exclude=/$e"); done
    # Owned by root and not writable by the app; files gone from the checkout go here too
    # (the excluded folders above are left alone).
    rsync -a --delete --no-owner --no-group --chmod=a+rX,go-w \
      --exclude=__pycache__ --exclude='*.egg-info' "${args[@]}" "$SRC/" "$APP_DIR/"
    note "synced from $SRC with rsync"
  else
    shopt -s dotglob nullglob
    for path in "$SRC"/*; do
      name="$(basename "$path")"
      skip=0
      for e in "${EXCLUDES[@]}" participate.egg-info; do
        [ "$name" = "$e" ] && skip=1
      done
      [ "$skip" = 1 ] && continue
      rm -rf "${APP_DIR:?}/$name"
      cp -a --no-preserve=ownership "$path" "$APP_DIR/"
      chmod -R a+rX,go-w "$APP_DIR/$name"
    done
    shopt -u dotglob nullglob
    # static/ was replaced whole: static/vendor comes back with scripts/setup.sh below.
    note "copied from $SRC with cp -a (install rsync to copy only what changed)"
  fi
fi
runuser -u "$APP_USER" -- test -r "$APP_DIR/app.py" ||
  die "$APP_USER cannot read $APP_DIR/app.py: make $APP_DIR readable (chmod -R a+rX)"

# ---- 4. folders ----------------------------------------------------------------------------
say "Folders"
install -d -o "$APP_USER" -g "$APP_USER" -m 0750 "$APP_DIR/instance"
chown -R "$APP_USER:$APP_USER" "$APP_DIR/instance"
install -d -o "$APP_USER" -g "$APP_USER" -m 0750 "$BACKUP_DIR"
install -d -o root -g "$APP_USER" -m 0750 "$ETC_DIR"
note "$APP_DIR/instance and $BACKUP_DIR belong to $APP_USER; $ETC_DIR to root (group $APP_USER)"

# ---- 5. settings ---------------------------------------------------------------------------
say "Settings in $ENV_FILE"
make_secret() { python3 -c "import secrets; print(secrets.$1)"; }
ENV_WRITTEN=0
if [ -f "$ENV_FILE" ]; then
  note "kept as it is (edit it by hand; then: systemctl restart participate)"
  if [ -n "$SITE_URL" ] && ! grep -qx "FLASK_SITE_URL=$SITE_URL" "$ENV_FILE"; then
    note "--site-url $SITE_URL was not written: FLASK_SITE_URL in $ENV_FILE is used"
  fi
else
  cores="$(nproc)"
  workers=$((2 * cores + 1))
  [ "$workers" -gt 12 ] && workers=12
  secret_key="$(make_secret 'token_urlsafe(48)')"
  db_password="$(make_secret 'token_hex(24)')"
  tmp="$(mktemp "$ETC_DIR/env.XXXXXX")"
  cat >"$tmp" <<EOF
# Settings for Participate, read by its systemd units (EnvironmentFile=) and by
# deploy/debian.sh, which wrote this file on $(date -u +%Y-%m-%d) and never overwrites it.
# One KEY=value per line. After a change: systemctl restart participate
# README.md, "Running at scale", explains each line.

FLASK_ENVIRONMENT=production
FLASK_SECRET_KEY=$secret_key
DATABASE_URL=postgresql://participate:$db_password@127.0.0.1:5432/participate
REDIS_URL=redis://127.0.0.1:6379/0
FLASK_LOG_FORMAT=json
FLASK_SITE_URL=$SITE_URL

# gunicorn (deploy/gunicorn.conf.py): worker processes, threads in each, where it listens.
GUNICORN_WORKERS=$workers
#GUNICORN_THREADS=4
#GUNICORN_BIND=127.0.0.1:8000

# Email (README.md, "Emails"). Until these are set, the app hands emails to an SMTP server
# on this machine (localhost, port 25), if there is one.
#FLASK_MAIL_SERVER=smtp.example.org
#FLASK_MAIL_PORT=587
#FLASK_MAIL_USE_TLS=true
#FLASK_MAIL_USERNAME=participate@example.org
#FLASK_MAIL_PASSWORD=
#FLASK_MAIL_DEFAULT_SENDER="Participate <no-reply@example.org>"
EOF
  chown "root:$APP_USER" "$tmp"
  chmod 0640 "$tmp"
  mv "$tmp" "$ENV_FILE"
  ENV_WRITTEN=1
  note "written: a new secret key and database password, GUNICORN_WORKERS=$workers"
fi
env_value() { sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1; }

# ---- 6. PostgreSQL -------------------------------------------------------------------------
say "PostgreSQL"
pg_sql() { (cd / && runuser -u postgres -- psql -X -q -At -v ON_ERROR_STOP=1 -d postgres "$@"); }
if [ "$SYSTEMD" = 1 ]; then
  systemctl enable --now --quiet postgresql
elif ! pg_sql -c 'SELECT 1' >/dev/null 2>&1; then
  note "no systemd: service postgresql start"
  service postgresql start >/dev/null
fi
for _ in $(seq 30); do pg_sql -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
pg_sql -c 'SELECT 1' >/dev/null || die "PostgreSQL does not answer"

DATABASE_URL="$(env_value DATABASE_URL)"
if [[ "$DATABASE_URL" =~ ^postgresql://participate:([0-9a-f]+)@127\.0\.0\.1:5432/participate$ ]]; then
  password="${BASH_REMATCH[1]}"
  if [ -n "$(pg_sql -c "SELECT 1 FROM pg_roles WHERE rolname = 'participate'")" ]; then
    if [ "$ENV_WRITTEN" = 1 ]; then
      # The settings file is new (the old one was deleted?) but the role is not: give the
      # role the password in the new file.
      printf "ALTER ROLE participate LOGIN PASSWORD '%s';\n" "$password" | pg_sql
      note "role participate existed: its password is now the one in $ENV_FILE"
    else
      note "role participate exists"
    fi
  else
    printf "CREATE ROLE participate LOGIN PASSWORD '%s';\n" "$password" | pg_sql
    note "role participate created (its password is in $ENV_FILE)"
  fi
  if [ -n "$(pg_sql -c "SELECT 1 FROM pg_database WHERE datname = 'participate'")" ]; then
    note "database participate exists"
  else
    pg_sql -c "CREATE DATABASE participate OWNER participate"
    note "database participate created"
  fi
else
  note "DATABASE_URL in $ENV_FILE points elsewhere: nothing done in the local PostgreSQL"
fi

# ---- 7. Redis ------------------------------------------------------------------------------
say "Redis (rate limits shared by all workers)"
if [ "$SYSTEMD" = 1 ]; then
  systemctl enable --now --quiet redis-server
elif ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  note "no systemd: service redis-server start"
  service redis-server start >/dev/null
fi
for _ in $(seq 10); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
if redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  note "answers on 127.0.0.1:6379"
else
  note "does not answer on 127.0.0.1:6379 (/readyz will say so)"
fi

# ---- 8. the app's own packages and the migrations ------------------------------------------
say "scripts/setup.sh in $APP_DIR, with $ENV_FILE loaded (runs the migrations)"
# The app's user runs .venv/bin/python, so it must be Debian's Python 3.11, not one in root's
# home (pyenv and the like), which that user cannot reach.
PYTHON=/usr/bin/python3.11
[ -x "$PYTHON" ] || die "$PYTHON not found (Debian 12's python3 package provides it)"
if [ -f "$APP_DIR/.venv/pyvenv.cfg" ] &&
   ! grep -qx "home = $(dirname "$PYTHON")" "$APP_DIR/.venv/pyvenv.cfg"; then
  note "$APP_DIR/.venv was not made with $PYTHON: making it again"
  rm -rf "${APP_DIR:?}/.venv"
fi
(
  set -a
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  set +a
  cd "$APP_DIR"
  PYTHON="$PYTHON" bash scripts/setup.sh --production
)
chown -R "$APP_USER:$APP_USER" "$APP_DIR/instance"
(cd "$APP_DIR" && runuser -u "$APP_USER" -- .venv/bin/python -c 'import participate') ||
  die "$APP_USER cannot run $APP_DIR/.venv/bin/python with the app: see the error above"

# ---- 9. systemd units ----------------------------------------------------------------------
say "systemd units"
for unit in "${UNITS[@]}"; do
  sed "s#/srv/participate#$APP_DIR#g" "$APP_DIR/deploy/$unit" >"/etc/systemd/system/$unit.tmp"
  chmod 0644 "/etc/systemd/system/$unit.tmp"
  mv "/etc/systemd/system/$unit.tmp" "/etc/systemd/system/$unit"
done
note "copied to /etc/systemd/system: ${UNITS[*]}"
if [ "$SYSTEMD" = 1 ]; then
  systemctl daemon-reload
  systemctl enable --quiet participate.service
  systemctl restart participate.service ||
    die "participate.service did not start: journalctl -u participate -n 50 --no-pager"
  systemctl enable --now --quiet participate-notices.timer participate-backup.timer
  note "participate.service (re)started; timers for emails and backups enabled"
else
  note "systemd is not running here, so nothing was started. On a machine with systemd:"
  note "  systemctl daemon-reload"
  note "  systemctl enable --now participate.service participate-notices.timer participate-backup.timer"
  note "To try the app in the foreground here:"
  note "  cd $APP_DIR && set -a && . $ENV_FILE && set +a && runuser -u $APP_USER -- .venv/bin/gunicorn --config deploy/gunicorn.conf.py app:app"
fi

# ---- 10. nginx -----------------------------------------------------------------------------
if [ "$WITH_NGINX" = 1 ]; then
  say "nginx"
  site_url="$(env_value FLASK_SITE_URL)"
  host="${site_url#https://}"
  host="${host%%:*}"
  host="${host%%/*}"
  [ -n "$host" ] || die "no host name in FLASK_SITE_URL ($ENV_FILE)"
  site=/etc/nginx/sites-available/participate
  if [ -f "$site" ]; then
    note "$site kept as it is (delete it to get a fresh copy)"
  else
    sed -e "s#participate\.example\.org#$host#g" -e "s#/srv/participate#$APP_DIR#g" \
      "$APP_DIR/deploy/nginx.conf" >"$site"
    note "$site written for $host"
  fi
  cert="/etc/letsencrypt/live/$host/fullchain.pem"
  if [ ! -f "$cert" ]; then
    note "no certificate yet ($cert), so the site is not enabled. Get one, then run this again:"
    note "  apt-get install certbot"
    note "  certbot certonly --webroot -w /var/www/html -d $host --deploy-hook 'systemctl reload nginx'"
    note "(port 80 must reach this machine; until the site is enabled, nginx's default site"
    note "serves /var/www/html for certbot)"
  else
    enabled=/etc/nginx/sites-enabled/participate
    was_enabled=0
    [ -e "$enabled" ] && was_enabled=1
    ln -sfn "$site" "$enabled"
    if ! nginx -t -q; then
      [ "$was_enabled" = 1 ] || rm -f "$enabled"
      die "nginx -t failed (see above)"
    fi
    if [ "$SYSTEMD" = 1 ]; then
      systemctl enable --quiet nginx
      systemctl reload-or-restart nginx
      note "site enabled, nginx reloaded"
    else
      note "site enabled; systemd is not running, so reload nginx yourself (nginx -s reload)"
    fi
  fi
fi

# ---- 11. ready? ----------------------------------------------------------------------------
say "Is it ready? (GET /readyz)"
if [ "$SYSTEMD" = 1 ]; then
  bind="$(env_value GUNICORN_BIND)"
  url="http://${bind:-127.0.0.1:8000}/readyz"
  for _ in $(seq 30); do
    if out="$(curl -fsS --max-time 5 "$url" 2>/dev/null)"; then
      note "$out"
      note "Done. Logs: journalctl -u participate -f"
      exit 0
    fi
    sleep 1
  done
  note "$(curl -sS --max-time 5 "$url" 2>&1 || true)"
  die "not ready after 30 s: see journalctl -u participate -n 50 --no-pager"
else
  note "not checked: the app was not started (no systemd)"
fi
