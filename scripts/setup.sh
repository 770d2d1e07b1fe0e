#!/usr/bin/env bash
# Set up (or bring up to date) everything the app needs, on Debian 12 / Ubuntu with Python 3.11,
# Node 20 and apt. Run as root or via sudo. Safe to run again: a second run takes seconds and
# keeps existing data.
#
#   bash scripts/setup.sh                    # running the app, and the test tools
#   bash scripts/setup.sh --with-test-deps   # also Debian's Chromium, for the browser tests
#                                            # (or set SETUP_WITH_TEST_DEPS=1)
#   bash scripts/setup.sh --production       # running the app only: no test tools
#                                            # (deploy/debian.sh uses this)
#
# What it does, each step only when needed:
#   apt packages (python3-venv if venv can't be made; Pango and a font for PDFs;
#   chromium with test deps)
#   .venv, then pip install -e ".[postgres,redis,dev]" (".[postgres,redis]" with --production)
#   when pyproject.toml or the extras changed
#   npm ci when package-lock.json changed, then scripts/vendor_assets.py
#   pybabel compile for translations/*/LC_MESSAGES/messages.po
#   flask --app app db upgrade (instance/participate.db, or DATABASE_URL when set)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WITH_TEST_DEPS="${SETUP_WITH_TEST_DEPS:-0}"
EXTRAS="postgres,redis,dev"
for arg in "$@"; do
  case "$arg" in
    --with-test-deps) WITH_TEST_DEPS=1 ;;
    --production) EXTRAS="postgres,redis" ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "setup: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done
[ "$WITH_TEST_DEPS" = "true" ] && WITH_TEST_DEPS=1

STAMPS="$ROOT/.setup-stamps"
VENV="$ROOT/.venv"
START=$SECONDS

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }
[ "$WITH_TEST_DEPS" = "1" ] && [ "$EXTRAS" = "postgres,redis" ] &&
  die "--production and --with-test-deps do not go together"

# ---- apt --------------------------------------------------------------------------------------
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $* (run this script as root or via sudo)"
  fi
}

APT_UPDATED=0
apt_install() {  # apt_install PKG...: installs those not already installed
  local missing=() pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and there is no apt-get to install them"
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  say "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" </dev/null >/dev/null
}

# ---- Python -----------------------------------------------------------------------------------
find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.11 python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
  PY="$(find_python)" || die "Python 3.11 not found (set PYTHON=/path/to/python3.11)"
  if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    apt_install python3-venv
  fi
  say "creating .venv with $("$PY" --version 2>&1)"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
  rm -f "$STAMPS/pip"
fi

# WeasyPrint (storybooks and other printables as PDF) needs Pango and a font.
apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

if [ "$WITH_TEST_DEPS" = "1" ]; then
  # Debian's Chromium, driven by Playwright through executable_path=/usr/bin/chromium
  # (never `playwright install`: it downloads a browser build, which is not allowed here).
  apt_install chromium
fi

mkdir -p "$STAMPS"
stamp_ok() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }

PIP_WANT="$(sha256sum pyproject.toml | cut -d' ' -f1) extras=$EXTRAS $("$VENV/bin/python" -V 2>&1)"
if stamp_ok pip "$PIP_WANT" && [ -x "$VENV/bin/flask" ]; then
  say "Python packages up to date"
else
  say "pip install -e .[$EXTRAS] (pyproject.toml changed or first run)"
  if ! { "$VENV/bin/python" -m pip install --disable-pip-version-check --upgrade pip &&
         "$VENV/bin/python" -m pip install --disable-pip-version-check -e ".[$EXTRAS]"; } \
       >"$STAMPS/pip.log" 2>&1 </dev/null; then
    tail -n 40 "$STAMPS/pip.log" >&2
    die "pip install failed (full log: .setup-stamps/pip.log)"
  fi
  echo "$PIP_WANT" > "$STAMPS/pip"
fi

# ---- front-end files from npm -----------------------------------------------------------------
command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js 20 (with npm) first"
NPM_WANT="$(sha256sum package-lock.json | cut -d' ' -f1)"
if stamp_ok npm "$NPM_WANT" && [ -d node_modules ]; then
  say "npm packages up to date"
else
  say "npm ci (package-lock.json changed or first run)"
  npm ci --no-audit --no-fund --loglevel=error </dev/null | sed '/^$/d; s/^/setup: npm: /'
  echo "$NPM_WANT" > "$STAMPS/npm"
fi
"$VENV/bin/python" scripts/vendor_assets.py | sed 's/^/setup: /'

# ---- Welsh (and any other) translations -------------------------------------------------------
shopt -s nullglob
PO_FILES=(translations/*/LC_MESSAGES/messages.po)
shopt -u nullglob
if [ "${#PO_FILES[@]}" -gt 0 ]; then
  say "compiling ${#PO_FILES[@]} translation(s)"
  "$VENV/bin/pybabel" -q compile -d translations
else
  say "no translations to compile"
fi

# ---- database ---------------------------------------------------------------------------------
say "flask db upgrade"
if ! out="$("$VENV/bin/flask" --app app db upgrade 2>&1)"; then
  printf '%s\n' "$out" >&2
  die "flask db upgrade failed"
fi
# Show what was applied, without alembic's start-up chatter.
printf '%s\n' "$out" | grep -v -e 'Context impl' -e 'Will assume' | sed '/^$/d; s/^/setup: /' || true

say "done in $((SECONDS - START))s"
