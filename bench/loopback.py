"""Loopback tools shared by ``bench/vote_day.py`` and the fault tests
(``tests/web/test_faults.py``): start a server and wait for it, and a simulated voter's
browser (a keep-alive connection with its cookies, the CSRF token and the ballot form).
Only ever talks to 127.0.0.1."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess  # the servers under test, fixed arguments  # nosec B404
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="csrf_token" value="([^"]+)"'
)
CHOICE = re.compile(r'name="choice" type="checkbox" value="(\d+)"|value="(\d+)" id="choice-\d+"')


# --- servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, path: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server on port {port} did not answer {path} in {seconds}s")


@contextmanager
def server(args: list[str], env: dict, log: Path):
    with open(log, "w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own servers  # nosec B603
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def gunicorn(app: str, port: int, workers: int, threads: int, env: dict, log: Path):
    """gunicorn with gthread workers on 127.0.0.1:``port``, its output in ``log``."""
    return server(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--worker-class=gthread",
            f"--workers={workers}",
            f"--threads={threads}",
            f"--bind=127.0.0.1:{port}",
            "--keep-alive=30",
            "--timeout=60",
            app,
        ],
        env,
        log,
    )


# --- a simulated voter ------------------------------------------------------------------------


class Browser:
    """One voter's keep-alive connection and cookies (kept by hand: production cookies are
    ``Secure`` and this is plain HTTP on loopback)."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | list | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0, "", (time.perf_counter() - started) * 1000
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text, (time.perf_counter() - started) * 1000


def csrf(page: str) -> str:
    found = CSRF.search(page)
    return (found.group(1) or found.group(2)) if found else ""


def sign_in(browser: Browser, email: str, password: str) -> list[tuple[int, float]]:
    """Open the sign-in page and sign in: (status, milliseconds) of each request; the last
    status is 303 when it worked."""
    status, page, ms = browser.request("GET", "/sign-in")
    steps = [(status, ms)]
    status, _, ms = browser.request(
        "POST", "/sign-in", {"csrf_token": csrf(page), "email": email, "password": password}
    )
    return [*steps, (status, ms)]


def choices_on(page: str) -> list[str]:
    """The project ids a ballot page offers."""
    return [a or b for a, b in CHOICE.findall(page)]


def ballot_form(token: str, choices: list[str]) -> dict:
    return {"csrf_token": token, "choice": choices, "declare_area": "y", "declare_age": "y"}
