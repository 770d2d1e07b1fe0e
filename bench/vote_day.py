"""A vote day under load, on loopback: gunicorn (gthread workers) + PostgreSQL (+ Redis for the
shared rate limits when ``redis-server`` is installed), against a bare Flask route on the same
gunicorn settings measured in the same run.

    .venv/bin/python bench/vote_day.py [--concurrency 32] [--seconds 15] [--workers 3]
        [--threads 4] [--voters 2000] [--database-url postgresql://app:app@127.0.0.1/postgres]

It makes a scratch database (dropped at the end), seeds one round open for votes with 12
projects and ``--voters`` residents, starts the servers on free loopback ports, then runs
timed phases with ``--concurrency`` simulated voters at once (client processes with a
thread per voter, each with its own keep-alive connection):

1. **bare**: every voter asks the bare route again and again: requests per second;
2. **the floor**: the bare route plus one ``SELECT 1``, and plus one committed insert: what
   the database round trips alone cost, the most any page that reads or saves can reach;
3. **ballots**: every voter, signed in, changes their ballot again and again: ballots per
   second, and its ratio to the bare route's requests per second (target: at least 0.40);
4. **vote day, flat out**: fresh voters one after another with no pause: sign in, open the
   ballot, cast a vote, change it, look at the results page. Latency p50/p95/p99 for each
   step and for the voting steps together (target: p95 under 150 ms; signing in is reported
   on its own: argon2id is slow on purpose);
5. **vote day, paced**: the same, each voter spending 1-3 s on each page (twice as long).

Then it checks the database: one ballot per voter who got a "saved" answer, none for anyone
else, each holding exactly the choices of that voter's last saved submission, and no ballot
without choices. Last, the time to count a pot (greedy and Method of Equal Shares with
completion) on 1,000, 10,000 and 100,000 seeded synthetic approval ballots, and how it grows.

Bounded: each phase stops after ``--seconds`` (and at most ``--max-requests`` requests). Only
ever talks to 127.0.0.1. Exit code 1 if a target or a check failed.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loopback  # noqa: E402 - after the path is set
from bench.loopback import (  # noqa: E402
    Browser,
    ballot_form,
    choices_on,
    csrf,
    free_port,
    gunicorn,
    server,
    wait_for,
)

PASSWORD = "vote-day-bench-password"  # noqa: S105 - the synthetic voters' password  # nosec B105
SLUG = "vote-day"
PROJECTS = 12
COST = 10_000
POT = 100_000


# --- the scratch database ----------------------------------------------------------------------


def scratch_database(admin_url: str):
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"participate_bench_{os.getpid()}"
    admin = make_url(admin_url).set(drivername="postgresql+psycopg")
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return admin.set(database=name).render_as_string(hide_password=False), drop


def seed(url: str, voters: int) -> dict:
    """Migrate, then one round open for votes, its projects and ``voters`` residents."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from participate import create_app
    from participate.accounts import auth
    from participate.accounts.models import Membership, Organisation, Person, Space
    from participate.budgeting.models import BudgetProject, GrantRound, Pot
    from participate.clock import local_today
    from participate.extensions import db

    app = create_app({"ENVIRONMENT": "testing", "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        today = local_today()
        council = Organisation(slug="bench-council", name="Bench Council", kind="council")
        space = Space(
            slug=SLUG,
            name="Vote day",
            kind="grant_round",
            organisation=council,
            visibility="public",
        )
        db.session.add_all([council, space])
        db.session.flush()
        rnd = GrantRound(
            space_id=space.id,
            title="Vote day",
            phase="voting",
            ballot_type="approval",
            min_picks=1,
            max_picks=3,
            rule="greedy",
            who_votes="residents",
            voting_from=today - timedelta(days=1),
            results_from=today + timedelta(days=7),
        )
        db.session.add(rnd)
        db.session.flush()
        pot = Pot(round_id=rnd.id, position=1, name="Whole area", amount=POT)
        db.session.add(pot)
        db.session.flush()
        for i in range(PROJECTS):
            db.session.add(
                BudgetProject(
                    pot_id=pot.id,
                    ref=f"P{i + 1}",
                    title=f"Project {i + 1}",
                    cost=COST,
                    status="feasible",
                )
            )
        one = Person(chosen_name="x", email="hash@bench.example")
        auth.set_password(one, PASSWORD)  # the production argon2id settings, hashed once
        people = [
            Person(
                chosen_name=f"Voter {i}",
                email=f"voter{i}@bench.example",
                password_hash=one.password_hash,
            )
            for i in range(voters)
        ]
        db.session.add_all(people)
        db.session.flush()
        db.session.add_all(
            Membership(person_id=p.id, space_id=space.id, role="resident") for p in people
        )
        db.session.execute(text("CREATE TABLE bench_write (id serial PRIMARY KEY, at timestamptz)"))
        db.session.commit()
        ids = {"pot": pot.id, "round": rnd.id}
        db.engine.dispose()
    return ids


# --- a simulated voter -------------------------------------------------------------------------


def sign_in(browser: Browser, voter: int, timings: list) -> bool:
    (opened, opened_ms), (sent, sent_ms) = loopback.sign_in(
        browser, f"voter{voter}@bench.example", PASSWORD
    )
    timings.append(("sign-in", opened == 200, opened_ms, time.time()))
    timings.append(("sign-in", sent == 303, sent_ms, time.time()))
    return sent == 303


def pick(rng: random.Random, projects: list[str]) -> list[str]:
    return sorted(rng.sample(projects, rng.randint(1, 3)), key=int)


@dataclass
class Tally:
    timings: list = field(default_factory=list)  # (step, ok, ms, finished: time.time())
    saved: dict = field(default_factory=dict)  # voter -> the choices of their last saved ballot
    cpu: float = 0.0  # seconds of CPU the load generator itself used
    wall: float = 0.0  # seconds the phase took


FLOORS = {"bare": ("GET", "/"), "read": ("GET", "/read"), "write": ("POST", "/write")}


def _floor(phase, port, deadline, limit, counter, out: Tally):
    """The bare route, or the bare route with one read or one committed write."""
    method, path = FLOORS[phase]
    browser = Browser(port)
    while time.monotonic() < deadline and counter() < limit:
        status, _, ms = browser.request(method, path, {} if method == "POST" else None)
        out.timings.append((phase, status == 200, ms, time.time()))


def _ballots(port, pot, voter, start, seconds, limit, counter, out: Tally):
    """Signed in and on the ballot before the clock starts (at ``start``, for everyone)."""
    rng = random.Random(voter)
    browser = Browser(port)
    ready = sign_in(browser, voter, [])
    path = f"/rounds/{SLUG}/vote/{pot}"
    status, page, _ = browser.request("GET", path)
    token, projects = csrf(page), choices_on(page)
    time.sleep(max(0.0, start - time.time()))
    if not ready or status != 200:
        out.timings.append(("ballot", False, 0.0, time.time()))
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and counter() < limit:
        choices = pick(rng, projects)
        status, _, ms = browser.request("POST", path, ballot_form(token, choices))
        out.timings.append(("ballot", status == 303, ms, time.time()))
        if status == 303:
            out.saved[voter] = choices


PAUSE = (1.0, 3.0)  # seconds a paced voter spends on a page before the next step


def _pause(rng: random.Random):
    time.sleep(rng.uniform(*PAUSE))


def _vote_day(port, pot, voters, deadline, limit, counter, out: Tally, paced=False):
    """Fresh voters one after another. ``paced``: each pauses between pages (PAUSE), as a
    person reading them does, though far quicker than most; otherwise no pause at all."""
    if paced:  # people arrive one by one, not all in the same instant
        time.sleep(random.Random(-voters[0] if voters else 0).uniform(0, PAUSE[1]))
    for voter in voters:
        if time.monotonic() >= deadline or counter() >= limit:
            return
        rng = random.Random(voter)
        pause = functools.partial(_pause, rng) if paced else lambda: None
        browser = Browser(port)
        if not sign_in(browser, voter, out.timings):
            continue
        pause()
        path = f"/rounds/{SLUG}/vote/{pot}"
        status, page, ms = browser.request("GET", path)
        out.timings.append(("open ballot", status == 200, ms, time.time()))
        token, projects = csrf(page), choices_on(page)
        for step in ("cast", "change"):
            pause()
            choices = pick(rng, projects) if projects else []
            status, _, ms = browser.request("POST", path, ballot_form(token, choices))
            out.timings.append((step, status == 303, ms, time.time()))
            if status == 303:
                out.saved[voter] = choices
        pause()
        status, _, ms = browser.request("GET", f"/rounds/{SLUG}/results/")
        out.timings.append(("results", status == 200, ms, time.time()))
        browser.conn.close()


def client_process(job):
    """One client process: a thread per simulated voter; returns what they saw."""
    phase, port, pot, slots, seconds, limit, start = job
    cpu = time.process_time()
    deadline = time.monotonic() + seconds
    outs = [Tally() for _ in slots]
    lock = threading.Lock()

    def counter():
        with lock:
            return sum(len(o.timings) for o in outs)

    threads = []
    for slot, out in zip(slots, outs, strict=True):
        if phase in FLOORS:
            target = (_floor, (phase, port, deadline, limit, counter, out))
        elif phase == "ballots":
            target = (_ballots, (port, pot, slot, start, seconds, limit, counter, out))
        else:
            target = (_vote_day, (port, pot, slot, deadline, limit, counter, out, phase == "paced"))
        threads.append(threading.Thread(target=target[0], args=target[1]))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    merged = Tally(cpu=time.process_time() - cpu)
    for o in outs:
        merged.timings += o.timings
        merged.saved.update(o.saved)
    return merged


def run_phase(phase, port, pot, slots, options) -> Tally:
    processes = max(1, min(options.clients, len(slots)))
    groups = [slots[i::processes] for i in range(processes)]
    limit = options.max_requests // processes
    # The ballots phase starts its clock once every voter has signed in (argon2id is slow on
    # purpose; signing in is measured in the vote-day phase).
    start = time.time() + (0.4 * len(slots) + 3 if phase == "ballots" else 0)
    seconds = options.seconds * (2 if phase == "paced" else 1)  # paced voters take longer
    began = time.monotonic()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        parts = pool.map(
            client_process, [(phase, port, pot, g, seconds, limit, start) for g in groups]
        )
    merged = Tally(wall=time.monotonic() - began)
    for part in parts:
        merged.timings += part.timings
        merged.saved.update(part.saved)
        merged.cpu += part.cpu
    return merged


def generator_share(tally: Tally) -> str:
    """How much of the machine the load generator itself took in a phase."""
    share = tally.cpu / (tally.wall * (os.cpu_count() or 1)) if tally.wall else 0.0
    return f"the load generator used {share:.0%} of the machine's CPU"


def spread(voters: list[int], slots: list[int]) -> list[list[int]]:
    """The voters dealt out to the slots: each slot takes its voters one after another."""
    return [voters[i :: len(slots)] for i in range(len(slots))]


def rate(timings: list) -> float:
    """Successful requests per second, over the time from the first answer to the last."""
    done = sorted(t[3] for t in timings if t[1])
    return (len(done) - 1) / (done[-1] - done[0]) if len(done) > 1 and done[-1] > done[0] else 0.0


# --- figures -----------------------------------------------------------------------------------


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        v = values[0] if values else 0.0
        return v, v, v
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return statistics.median(values), cuts[94], cuts[98]


def line(label: str, timings: list) -> str:
    ms = [t[2] for t in timings]
    errors = sum(1 for t in timings if not t[1])
    p50, p95, p99 = percentiles(ms)
    return (
        f"  {label:<22} {len(timings):>7} requests  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
        f"p99 {p99:7.1f} ms  errors {errors}"
    )


def check_database(url: str, pot: int, saved: dict) -> list[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    problems = []
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT b.voter_key, "
                "array_agg(p.ref ORDER BY p.id) FILTER (WHERE p.id IS NOT NULL) "
                "FROM pb_ballot b LEFT JOIN pb_ballot_choice c ON c.ballot_id = b.id "
                "LEFT JOIN pb_project p ON p.id = c.project_id WHERE b.pot_id = :pot "
                "GROUP BY b.id, b.voter_key"
            ),
            {"pot": pot},
        ).all()
        emails = dict(
            conn.execute(
                text(
                    "SELECT 'person:' || id, email FROM person "
                    "WHERE email LIKE 'voter%@bench.example'"
                )
            ).all()
        )
        project_ids = dict(
            conn.execute(
                text("SELECT id::text, ref FROM pb_project WHERE pot_id = :pot"), {"pot": pot}
            ).all()
        )
    engine.dispose()
    in_db = {}
    for key, refs in rows:
        voter = int(emails[key].split("@")[0][5:])
        if voter in in_db:
            problems.append(f"two ballots for voter {voter}")
        in_db[voter] = refs or []
    if len(rows) != len(saved):
        problems.append(f"{len(rows)} ballots in the database, {len(saved)} voters told 'saved'")
    for voter, choices in saved.items():
        want = sorted(project_ids[c] for c in choices)
        if sorted(in_db.get(voter, [])) != want:
            problems.append(f"voter {voter}: the database holds {in_db.get(voter)}, saved {want}")
    if any(not refs for refs in in_db.values()):
        problems.append("a ballot without choices (half-written)")
    return problems


def count_growth() -> list[tuple[int, float, float]]:
    from participate.budgeting import tally

    rng = random.Random(2017)
    costs = {str(i): rng.randrange(5_000, 80_000, 500) for i in range(1, 41)}
    ids = list(costs)
    weights = [rng.random() ** 2 for _ in ids]  # some projects far more popular than others
    rows = []
    for n in (1_000, 10_000, 100_000):
        ballots = [set(rng.choices(ids, weights, k=rng.randint(1, 6))) for _ in range(n)]
        election = tally.election(1_000_000, costs, ballots)
        times = []
        for rule in ("greedy", "mes-add1"):
            start = time.perf_counter()
            tally.count(election, rule)
            times.append(time.perf_counter() - start)
        rows.append((n, *times))
    return rows


# --- main ----------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--voters", type=int, default=2_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgresql://app:app@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--skip-count", action="store_true", help="no counting figures")
    options = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="vote-day-"))
    url, drop = scratch_database(options.database_url)
    failed = []
    try:
        ids = seed(url, options.voters + options.concurrency)
        env = {
            **os.environ,
            "FLASK_ENVIRONMENT": "production",
            "FLASK_SECRET_KEY": secrets.token_urlsafe(32),
            "DATABASE_URL": url,
            # Everyone comes from 127.0.0.1 here; in real life each voter has an address.
            "FLASK_SIGN_IN_RATE_LIMIT": "1000000 per minute",
            "FLASK_LOG_FORMAT": "json",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        redis = shutil.which("redis-server")
        redis_port = free_port()
        redis_ctx = (
            server(
                [
                    redis,
                    "--port",
                    str(redis_port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                os.environ.copy(),
                workdir / "redis.log",
            )
            if redis
            else None
        )
        if redis_ctx:
            redis_ctx.__enter__()
            env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
            time.sleep(0.5)
        app_port, bare_port = free_port(), free_port()
        print(
            f"vote day: gunicorn gthread, {options.workers} workers x {options.threads} "
            f"threads; PostgreSQL; rate limits in {'Redis' if redis else 'each worker'}; "
            f"{options.concurrency} voters at once, {options.seconds:g} s a phase; "
            f"{os.cpu_count()} cores"
        )
        shape = (options.workers, options.threads, env)
        with (
            gunicorn("app:app", app_port, *shape, workdir / "app.log"),
            gunicorn("bench.bare_app:app", bare_port, *shape, workdir / "bare.log"),
        ):
            wait_for(app_port, "/readyz")
            wait_for(bare_port, "/")
            slots = list(range(options.concurrency))
            bare = run_phase("bare", bare_port, ids["pot"], slots, options)
            read = run_phase("read", bare_port, ids["pot"], slots, options)
            write = run_phase("write", bare_port, ids["pot"], slots, options)
            voters = list(range(options.concurrency, options.concurrency + options.voters))
            ballots = run_phase("ballots", app_port, ids["pot"], slots, options)
            half = len(voters) // 2  # fresh voters for each vote-day phase
            day = run_phase("day", app_port, ids["pot"], spread(voters[:half], slots), options)
            paced = run_phase("paced", app_port, ids["pot"], spread(voters[half:], slots), options)

        bare_rate, ballot_rate = rate(bare.timings), rate(ballots.timings)
        ratio = ballot_rate / bare_rate if bare_rate else 0.0
        print("\nthroughput")
        print(line("bare route", bare.timings))
        print(line("bare + one read", read.timings))
        print(line("bare + one write", write.timings))
        print(line("ballot (change)", ballots.timings))
        print(
            f"  bare route {bare_rate:8.1f} requests/s; ballots {ballot_rate:8.1f} /s; "
            f"ratio {ratio:.2f} (target at least 0.40)"
        )
        for label, floor in (("one read", read), ("one write", write)):
            print(
                f"  the floor: bare route + {label} {rate(floor.timings):8.1f} requests/s, "
                f"ratio {rate(floor.timings) / bare_rate if bare_rate else 0:.2f}"
            )
        print(f"  (bare phase: {generator_share(bare)})")
        p95 = {}
        for label, phase in (
            ("flat out: no pause between pages", day),
            (f"paced: {PAUSE[0]:g}-{PAUSE[1]:g} s on each page", paced),
        ):
            print(f"\nvote day, {options.concurrency} voters at once, {label}")
            for step in ("sign-in", "open ballot", "cast", "change", "results"):
                print(line(step, [t for t in phase.timings if t[0] == step]))
            voting = [t for t in phase.timings if t[0] != "sign-in"]
            print(line("voting steps together", voting))
            print(line("everything", phase.timings))
            print(f"  ({generator_share(phase)}; {rate(phase.timings):.1f} requests/s)")
            p95[label.split(":")[0]] = percentiles([t[2] for t in voting])[1]
        errors = sum(
            1
            for t in bare.timings
            + read.timings
            + write.timings
            + ballots.timings
            + day.timings
            + paced.timings
            if not t[1]
        )
        saved = {**ballots.saved, **day.saved, **paced.saved}
        problems = check_database(url, ids["pot"], saved)
        print(
            f"\nballots: {len(saved)} voters told 'saved'; database check: "
            f"{'ok' if not problems else '; '.join(problems[:5])}"
        )
        print(f"errors: {errors}")
        if errors:
            failed.append(f"{errors} errors")
        if problems:
            failed.append("database check")
        for label, ms in p95.items():
            print(f"p95 of the voting steps, {label}: {ms:.0f} ms (target under 150 ms)")
            if ms >= 150:
                failed.append(f"p95 {label} {ms:.0f} ms")
        if ratio < 0.40:
            failed.append(f"ratio {ratio:.2f}")
        if redis_ctx:
            redis_ctx.__exit__(None, None, None)
    finally:
        drop()
        shutil.rmtree(workdir, ignore_errors=True)

    if not options.skip_count:
        print("\ncounting a pot (40 projects, synthetic seeded approval ballots)")
        rows = count_growth()
        for n, greedy, mes in rows:
            print(
                f"  {n:>7,} ballots  greedy {greedy * 1000:9.1f} ms  "
                f"equal shares {mes * 1000:9.1f} ms"
            )
        for (n1, g1, m1), (n2, g2, m2) in zip(rows, rows[1:], strict=False):
            print(
                f"  {n1:,} -> {n2:,} ballots ({n2 // n1}x): greedy {g2 / g1:.1f}x, "
                f"equal shares {m2 / m1:.1f}x"
            )
    print("\nresult: " + ("all targets met" if not failed else "missed: " + ", ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
