"""The browser layer: Debian's Chromium driven by Playwright against a live, seeded server.

Every test here is marked ``browser`` and skipped when ``/usr/bin/chromium`` is missing.
Each test gets its own server on a fresh database holding the demo place (``flask demo``),
with CSRF protection switched back on, as in production. Pages are checked with axe-core
(failing on serious or critical WCAG 2.2 AA problems) and for Content Security Policy
violations, which would mean a script or style the policy blocks.

``PARTICIPATE_CHROMIUM`` names another Chromium binary. Never run ``playwright install``
here: the browser is Debian's, the download is blocked.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from participate.demo import DEMO_PASSWORD
from tests.conftest import ROOT, make_app

CHROMIUM = Path(os.environ.get("PARTICIPATE_CHROMIUM", "/usr/bin/chromium"))
HERE = Path(__file__).resolve().parent
AXE_PATHS = [ROOT / "static/vendor/test/axe.min.js", ROOT / "node_modules/axe-core/axe.min.js"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_FAIL_IMPACTS = {"serious", "critical"}

# A 2-core machine running the server and the browser at once can be slow to settle.
expect.set_options(timeout=10_000)


# Under CI the browser tests are shared between the two engines' runs, which go on side by
# side (scripts/test.sh): two files of every three, in name order, are also marked
# ``browser_sqlite`` (the PostgreSQL run has the slower unit and web tests).
SQLITE_SHARE = {
    name
    for i, name in enumerate(sorted(p.name for p in HERE.glob("test_*.py")))
    if i % 3 != 0
}


def pytest_collection_modifyitems(config, items):
    """Mark everything in this folder ``browser`` (and most files ``browser_sqlite``); skip
    it all when there is no Chromium."""
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: install Debian's chromium "
        "(apt-get install -y --no-install-recommends chromium) to run the browser tests"
    )
    for item in items:
        if HERE not in Path(item.path).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if Path(item.path).name in SQLITE_SHARE:
            item.add_marker(pytest.mark.browser_sqlite)
        # pytest-playwright's own base_url fixture trips a pytest 9 deprecation; not ours.
        item.add_marker(pytest.mark.filterwarnings(
            "ignore:Session-scoped fixtures defined as instance methods"
            ":pytest.PytestRemovedIn10Warning"))
        if not CHROMIUM.exists():
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


# --- the live server -------------------------------------------------------------------------


@dataclass
class LiveServer:
    app: object
    url: str


@pytest.fixture
def live_server(database_url, tmp_path) -> Iterator[LiveServer]:
    """The app on 127.0.0.1 (a free port), on a fresh database with the demo place loaded."""
    from participate import demo
    from participate.extensions import db

    if not (ROOT / "static/vendor/htmx/htmx.min.js").exists():
        pytest.fail("static/vendor/htmx/htmx.min.js is missing: run `npm ci` and copy the "
                    "vendor files (scripts/vendor_assets.py) first", pytrace=False)
    app = make_app(database_url, WTF_CSRF_ENABLED=True, ARGON2_PROFILE="CHEAPEST")
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        demo.load()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


# --- browser contexts that watch the console ------------------------------------------------


@dataclass
class Console:
    """What the pages printed: CSP violations and uncaught script errors fail the test."""

    messages: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        refused = [m for m in self.messages if "Refused to" in m
                   or "Content Security Policy" in m]
        return refused + [f"uncaught error: {e}" for e in self.page_errors]


@pytest.fixture
def console() -> Iterator[Console]:
    watched = Console()
    yield watched
    problems = watched.problems()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def make_context(new_context, live_server, console):
    """``make_context(**options)``: a browser context pointed at the live server."""

    def _make(**options):
        context = new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        # axe runs in the page: with scripts off, Playwright would wait for it forever.
        context.scripts_off = options.get("java_script_enabled") is False
        context.on("console", lambda msg: console.messages.append(f"[{msg.type}] {msg.text}"))
        context.on("weberror", lambda error: console.page_errors.append(str(error.error)))
        return context

    return _make


@pytest.fixture
def context(make_context):
    return make_context()


@pytest.fixture
def page(context):
    return context.new_page()


# --- helpers ---------------------------------------------------------------------------------


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real /sign-in page and land on the home page."""
    page.goto("/sign-in")
    form = page.locator("#sign-in-form")
    form.get_by_label("Email address").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/$"))
    expect(page.locator("#todo-heading")).to_be_visible()


def sign_out(page) -> None:
    page.locator(".site-header").get_by_role("button", name="Sign out").click()
    expect(page.locator(".flashes")).to_contain_text("You've signed out.")


_axe_source: str | None = None


def _axe() -> str:
    global _axe_source
    if _axe_source is None:
        path = next((p for p in AXE_PATHS if p.exists()), None)
        if path is None:
            pytest.fail("axe-core is missing: run `npm ci` (axe-core is a devDependency)",
                        pytrace=False)
        _axe_source = path.read_text(encoding="utf-8")
    return _axe_source


def axe(page, where: str | None = None) -> list[dict]:
    """Run axe-core on the page; fail on serious or critical violations.

    The source goes in through ``page.evaluate`` (the page's strict CSP blocks injected
    ``<script>`` tags). Returns every violation, so callers may look at the milder ones.
    """
    if getattr(page.context, "scripts_off", False):
        pytest.fail(f"axe needs scripts: check {where or page.url} in a context with "
                    "JavaScript on", pytrace=False)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe())
    results = page.evaluate(
        "tags => window.axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = results["violations"]
    bad = [v for v in violations if v.get("impact") in AXE_FAIL_IMPACTS]
    if bad:
        lines = [f"axe found {len(bad)} serious or critical problem(s) on {where or page.url}:"]
        for v in bad:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:5]:
                lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']}")
        pytest.fail("\n".join(lines), pytrace=False)
    return violations


@pytest.fixture
def rhys_in_english(live_server):
    """The demo's Rhys reads the site in Welsh; tests that read his pages in English switch
    him to English first."""
    from sqlalchemy import update

    from participate.accounts.models import Person
    from participate.extensions import db

    with live_server.app.app_context():
        db.session.execute(
            update(Person).where(Person.email == "resident@porthaven.example").values(language="en")
        )
        db.session.commit()
        db.session.remove()
    return live_server
