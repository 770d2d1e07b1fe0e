"""The production set-up in deploy/ (issue 10) holds together: the script parses and explains
itself, gunicorn's settings load and name only settings gunicorn knows, the systemd units
run what they should from /srv/participate, and nginx proxies to gunicorn without logging
paths. Fast, no root, no network: nothing here installs or starts anything."""

from __future__ import annotations

import configparser
import re
import runpy
import shutil
import subprocess  # bash and systemd-analyze, fixed arguments  # nosec B404
from pathlib import Path

import pytest

from participate.config import DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SCRIPT = DEPLOY / "debian.sh"
APP = "/srv/participate"
VENV_BIN = f"{APP}/.venv/bin/"
BASH = shutil.which("bash") or "/bin/bash"


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own script and tools, fixed arguments
        args,
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
        env={"PATH": "/usr/bin:/bin", **env},
    )


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string((DEPLOY / name).read_text(), source=name)
    return parser


# --- deploy/debian.sh ------------------------------------------------------------------------


def test_the_script_parses():
    result = _run(BASH, "-n", str(SCRIPT))
    assert result.returncode == 0, result.stderr


def test_the_script_is_strict_and_executable():
    text = SCRIPT.read_text()
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in text
    assert SCRIPT.stat().st_mode & 0o111


def test_help_prints_the_usage_and_changes_nothing():
    result = _run(BASH, str(SCRIPT), "--help")
    assert result.returncode == 0, result.stderr
    assert "sudo bash deploy/debian.sh --site-url https://" in result.stdout
    for option in ("--site-url URL", "--with-nginx", "-h, --help", "APP_DIR"):
        assert option in result.stdout
    assert "set -euo" not in result.stdout  # the comment only, not the code after it
    assert result.stderr == ""


def test_an_unknown_option_is_refused():
    result = _run(BASH, str(SCRIPT), "--frobnicate")
    assert result.returncode == 2
    assert "unknown option --frobnicate" in result.stderr


def test_the_script_installs_every_unit_in_deploy():
    text = SCRIPT.read_text()
    names = sorted(p.name for p in DEPLOY.iterdir() if p.suffix in (".service", ".timer"))
    assert len(names) == 5
    for name in names:
        assert name in text


def test_production_installs_the_app_without_the_test_tools():
    assert "bash scripts/setup.sh --production" in SCRIPT.read_text()
    setup = ROOT / "scripts" / "setup.sh"
    help_text = _run(BASH, str(setup), "--help").stdout
    assert "--production" in help_text and "no test tools" in help_text
    both = _run(BASH, str(setup), "--production", "--with-test-deps")
    assert both.returncode == 1
    assert "do not go together" in both.stderr


# --- deploy/gunicorn.conf.py -----------------------------------------------------------------


def load_gunicorn_conf(monkeypatch, **env: str) -> dict:
    for name in (
        "GUNICORN_BIND",
        "GUNICORN_WORKERS",
        "GUNICORN_THREADS",
        "GUNICORN_LOGLEVEL",
        "GUNICORN_FORWARDED_ALLOW_IPS",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_settings(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch)
    assert conf["worker_class"] == "gthread"
    assert conf["accesslog"] is None
    assert conf["errorlog"] == "-"
    assert conf["preload_app"] is False
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["forwarded_allow_ips"] == "127.0.0.1"
    assert 3 <= conf["workers"] <= 12
    assert conf["threads"] == 4
    assert (conf["timeout"], conf["graceful_timeout"], conf["keepalive"]) == (30, 30, 5)
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (2000, 200)
    assert conf["loglevel"] == "info"


def test_gunicorn_settings_from_the_environment(monkeypatch):
    conf = load_gunicorn_conf(
        monkeypatch,
        GUNICORN_BIND="127.0.0.1:8001",
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="8",
        GUNICORN_LOGLEVEL="warning",
    )
    assert (conf["bind"], conf["workers"], conf["threads"]) == (["127.0.0.1:8001"], 3, 8)
    assert conf["loglevel"] == "warning"
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS must be a whole number"):
        load_gunicorn_conf(monkeypatch, GUNICORN_WORKERS="many")
    with pytest.raises(SystemExit, match="GUNICORN_THREADS must be 1 or more"):
        load_gunicorn_conf(monkeypatch, GUNICORN_THREADS="0")


def test_gunicorn_knows_every_setting_in_the_file(monkeypatch):
    from gunicorn.config import Config

    known = Config().settings
    conf = load_gunicorn_conf(monkeypatch)
    ours = {
        name
        for name, value in conf.items()
        if name.islower()
        and not name.startswith("_")
        and not callable(value)
        and type(value).__name__ != "module"
    }
    assert ours - set(known) == set()
    assert {"worker_class", "workers", "threads", "accesslog", "preload_app"} <= ours


# --- systemd units ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["participate.service", "participate-notices.service", "participate-backup.service"]
)
def test_each_service_runs_as_the_app_user_from_the_app_folder(name):
    service = unit(name)["Service"]
    assert service["User"] == "participate"
    assert service["WorkingDirectory"] == APP
    assert service["EnvironmentFile"] == "/etc/participate/env"
    assert VENV_BIN in service["ExecStart"]
    assert service["NoNewPrivileges"] == "true"
    assert service["ProtectSystem"] == "full"
    assert service["PrivateTmp"] == "true"
    assert f"{APP}/instance" in service["ReadWritePaths"].split()


def test_the_web_service_runs_gunicorn_with_the_settings_file():
    parsed = unit("participate.service")
    service = parsed["Service"]
    assert service["ExecStart"] == (
        f"{VENV_BIN}gunicorn --config {APP}/deploy/gunicorn.conf.py app:app"
    )
    assert service["Type"] == "notify"
    assert service["ExecReload"] == "/bin/kill -s HUP $MAINPID"
    assert parsed["Install"]["WantedBy"] == "multi-user.target"
    assert (ROOT / "app.py").is_file()


def test_the_notices_service_sends_the_emails():
    service = unit("participate-notices.service")["Service"]
    assert service["Type"] == "oneshot"
    assert service["ExecStart"] == f"{VENV_BIN}flask --app app notices send"


def test_the_backup_service_writes_dated_backups_and_prunes_old_ones():
    service = unit("participate-backup.service")["Service"]
    assert service["Type"] == "oneshot"
    command = service["ExecStart"]
    assert f"{VENV_BIN}flask --app app backup create -o " in command
    # systemd's escapes: $$ for the shell's $, %% for date's %.
    assert '"/var/backups/participate/participate-$$(date -u +%%Y%%m%%d-%%H%%M%%S).dump"' in (
        command
    )
    assert "/var/backups/participate" in service["ReadWritePaths"].split()
    assert service["ExecStartPost"] == (
        "/usr/bin/find /var/backups/participate -maxdepth 1 -type f -name 'participate-*' "
        "-mtime +14 -delete"
    )


@pytest.mark.parametrize(
    ("name", "when"),
    [("participate-notices.timer", "*:0/15"), ("participate-backup.timer", "*-*-* 02:30:00")],
)
def test_the_timers(name, when):
    parsed = unit(name)
    assert parsed["Timer"]["OnCalendar"] == when
    assert parsed["Timer"]["Persistent"] == "true"
    assert parsed["Install"]["WantedBy"] == "timers.target"
    assert (DEPLOY / name.replace(".timer", ".service")).is_file()
    analyze = shutil.which("systemd-analyze")
    if analyze:
        result = _run(analyze, "calendar", when)
        assert result.returncode == 0, result.stderr


# --- deploy/nginx.conf -----------------------------------------------------------------------


def test_nginx_proxies_to_gunicorn_with_the_apps_body_limit():
    text = (DEPLOY / "nginx.conf").read_text()
    assert "proxy_pass http://127.0.0.1:8000;" in text
    assert DEFAULTS["MAX_CONTENT_LENGTH"] == 8 * 1024 * 1024
    assert "client_max_body_size 8m;" in text
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert f"proxy_set_header {header} " in text
    assert f"alias {APP}/static/;" in text
    assert "listen 443 ssl" in text
    assert "/etc/letsencrypt/live/participate.example.org/fullchain.pem" in text


def test_nginx_logs_no_paths():
    text = (DEPLOY / "nginx.conf").read_text()
    log_format = re.search(r"log_format participate (.*?);", text, re.S)
    assert log_format is not None
    for variable in ("$request", "$request_uri", "$uri", "$args", "$query_string", "$http_referer"):
        assert not re.search(re.escape(variable) + r"\b(?!_)", log_format.group(1)), variable
    logs = re.findall(r"^\s*access_log ([^\s;]+)", text, re.M)
    assert logs and all(log == "off" or log.endswith(".log") for log in logs)
    assert re.findall(r"access_log \S+\.log (\S+);", text) == ["participate", "participate"]
