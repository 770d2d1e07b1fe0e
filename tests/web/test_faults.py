"""Faults on the production set-up (issue 10): gunicorn with gthread workers on PostgreSQL,
on loopback, against the test database.

- A worker killed in the middle of a vote loses no ballot a voter was told was saved, and
  leaves no half-written ballot; gunicorn starts a new worker and voting goes on.
- The database refusing connections (as while it restarts) makes ``/healthz`` answer 503 and
  pages show the plain error page; when it takes connections again the app recovers by itself.
- A ballot sent again after a timeout (the same voter, the same choices) is one ballot.

PostgreSQL only: it is the production database, and SQLite is one process's file.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bench.loopback import (
    Browser,
    ballot_form,
    choices_on,
    csrf,
    free_port,
    gunicorn,
    sign_in,
    wait_for,
)
from participate.budgeting.models import Ballot, BallotChoice
from participate.clock import local_today
from participate.extensions import db
from tests import factories as f
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="the production set-up is PostgreSQL")

VOTERS = 12


@pytest.fixture
def vote(app, database_url, tmp_path):
    """A round open for votes, its voters, and gunicorn serving it: (port, pot id, voters)."""
    today = local_today()
    rnd = f.grant_round(
        "voting",
        pots=((30_000, "Whole area"),),
        ballot_type="approval",
        min_picks=1,
        max_picks=3,
        voting_from=today - timedelta(days=1),
        results_from=today + timedelta(days=7),
    )
    (pot,) = rnd.pots
    for i in range(6):
        f.budget_project(pot, f"Project {i}", 5_000)
    voters = [f.person(f"Voter {i}") for i in range(VOTERS)]
    for person in voters:
        f.member(person, rnd.space, "resident")
    db.session.commit()
    port = free_port()
    env = {
        **os.environ,
        "FLASK_ENVIRONMENT": "production",
        "FLASK_SECRET_KEY": "fault-test-secret-key-0123456789abcdef",
        "DATABASE_URL": database_url,
        "FLASK_ARGON2_PROFILE": "CHEAPEST",
        "FLASK_SIGN_IN_RATE_LIMIT": "100000 per minute",
    }
    env.pop("REDIS_URL", None)
    with gunicorn("app:app", port, 2, 4, env, tmp_path / "gunicorn.log") as master:
        wait_for(port, "/readyz")
        # (id, email): plain values the voters' threads can use outside the app context.
        yield port, pot.id, rnd.space.slug, [(p.id, p.email) for p in voters], master
    db.session.remove()


def _signed_in(port: int, email: str) -> Browser:
    browser = Browser(port)
    assert sign_in(browser, email, f.PASSWORD)[-1][0] == 303
    return browser


def _workers(master) -> list[int]:
    children = f"/proc/{master.pid}/task/{master.pid}/children"
    with open(children) as listing:
        return [int(pid) for pid in listing.read().split()]


def _ballots_in_database(pot_id: int) -> dict[int, list[int]]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Ballot.person_id, BallotChoice.project_id)
        .outerjoin(BallotChoice, BallotChoice.ballot_id == Ballot.id)
        .where(Ballot.pot_id == pot_id)
    ).all()
    found: dict[int, list[int]] = {}
    for person_id, project_id in rows:
        found.setdefault(person_id, [])
        if project_id is not None:
            found[person_id].append(project_id)
    return {k: sorted(v) for k, v in found.items()}


def _until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_killing_a_worker_mid_vote_loses_no_saved_ballot(vote):
    port, pot_id, slug, voters, master = vote
    path = f"/rounds/{slug}/vote/{pot_id}"
    saved: dict[int, list[int]] = {}  # person id -> the choices of their last "saved"
    tried: dict[int, list[list[int]]] = {}  # every submission whose answer never came
    after_kill: set[int] = set()  # voters told "saved" after the worker was killed
    errors: list[int] = []
    killed, stop = threading.Event(), threading.Event()

    # Everyone signs in and opens the ballot first, so the kill lands on votes being cast,
    # however slow the machine is.
    ready = []
    for seed, (person_id, email) in enumerate(voters):
        browser = _signed_in(port, email)
        status, page, _ = browser.request("GET", path)
        assert status == 200
        ready.append((person_id, browser, csrf(page), [int(p) for p in choices_on(page)], seed))

    def voter(person_id: int, browser: Browser, token: str, projects: list[int], n: int):
        while not stop.is_set():
            n += 1
            choices = sorted({projects[n % 6], projects[(n * 7) % 6]})
            status, _, _ = browser.request(
                "POST", path, ballot_form(token, [str(c) for c in choices])
            )
            if status == 303:
                saved[person_id] = choices
                tried.pop(person_id, None)
                if killed.is_set():
                    after_kill.add(person_id)
            elif status == 0:  # the connection died with the worker: it may or may not be in
                tried.setdefault(person_id, []).append(choices)
            else:
                errors.append(status)

    threads = [threading.Thread(target=voter, args=args) for args in ready]
    for t in threads:
        t.start()
    try:
        _until(lambda: len(saved) == VOTERS, 60, "not every voter could vote before the kill")
        victim = _workers(master)[0]
        os.kill(victim, signal.SIGKILL)
        killed.set()
        _until(lambda: len(after_kill) == VOTERS, 60, "voting did not go on after the kill")
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)

    assert errors == []
    new_workers = _workers(master)
    assert victim not in new_workers and len(new_workers) == 2  # gunicorn started another
    in_db = _ballots_in_database(pot_id)
    assert set(in_db) == set(saved)  # one ballot per voter who was told "saved"
    assert all(choices for choices in in_db.values())  # none half-written
    for person_id, choices in saved.items():
        # Either the last saved one or one whose answer was lost with the worker.
        assert in_db[person_id] == choices or in_db[person_id] in tried.get(person_id, [])
    total = db.session.scalar(
        select(func.count()).select_from(Ballot).where(Ballot.pot_id == pot_id)
    )
    assert total == VOTERS


def test_a_ballot_sent_again_after_a_timeout_is_one_ballot(vote):
    port, pot_id, slug, voters, _master = vote
    path = f"/rounds/{slug}/vote/{pot_id}"
    browser = _signed_in(port, voters[0][1])
    status, page, _ = browser.request("GET", path)
    token, projects = csrf(page), choices_on(page)
    for _attempt in range(3):  # the voter's browser sends it again, twice
        status, _, _ = browser.request("POST", path, ballot_form(token, projects[:2]))
        assert status == 303
    in_db = _ballots_in_database(pot_id)
    assert list(in_db) == [voters[0][0]]
    assert in_db[voters[0][0]] == sorted(int(p) for p in projects[:2])


def test_the_database_refusing_connections_gives_503_then_recovers(vote, database_url):
    port, pot_id, slug, voters, _master = vote
    name = make_url(database_url).database
    admin = create_engine(
        make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    browser = _signed_in(port, voters[0][1])
    db.session.remove()
    db.engine.dispose()

    def refuse(allow: bool):
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allow).lower()}'))
            if not allow:  # what a restart does to the connections already open
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                )

    try:
        refuse(False)
        health = Browser(port).request("GET", "/healthz")
        assert health[0] == 503 and '"database":"unreachable"' in health[1].replace(" ", "")
        status, page, _ = browser.request("GET", f"/rounds/{slug}/vote/{pot_id}")
        assert status == 503
        assert "We can&#39;t save or show that right now" in page or "We can't save" in page
        assert "Traceback" not in page
    finally:
        refuse(True)
        admin.dispose()
    healthy = lambda: Browser(port).request("GET", "/healthz")[0] == 200  # noqa: E731
    _until(healthy, 15, "the app did not recover by itself")
    assert browser.request("GET", f"/rounds/{slug}/vote/{pot_id}")[0] == 200
