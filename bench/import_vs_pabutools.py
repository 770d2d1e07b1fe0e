"""Importing a pabulib file into the database, against pabutools 1.2.3 only parsing it.

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python bench/import_vs_pabutools.py [FILE.pb]   # default: Wrocław 2017

The import (read, check, write the round, projects and every ballot, count it, commit) runs into
a fresh SQLite database in a temporary folder, or into DATABASE_URL when set (use a scratch
database). Target in issue 7: no more than 5 times pabutools' parse of the same file.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "tests" / "data" / "pabulib" / "Poland_Wroclaw_2017.pb"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    try:
        from pabutools.election import parse_pabulib
    except ImportError:
        print("pabutools is not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    import os

    from sqlalchemy import func, select

    from participate import create_app
    from participate.accounts.models import Organisation
    from participate.budgeting import exchange
    from participate.budgeting.models import Ballot
    from participate.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            db.create_all()
            organisation = Organisation(slug="bench", name="Bench", kind="council")
            db.session.add(organisation)
            db.session.commit()
            text = path.read_text(encoding="utf-8")
            start = time.perf_counter()
            grant_round = exchange.import_pb(text, organisation)
            db.session.commit()
            ours = time.perf_counter() - start
            pot_id = grant_round.pots[0].id
            ballots = db.session.scalar(
                select(func.count()).select_from(Ballot).where(Ballot.pot_id == pot_id)
            )
            db.drop_all()
    start = time.perf_counter()
    parse_pabulib(str(path))
    theirs = time.perf_counter() - start
    print(f"{path.name}: {ballots} ballots")
    print(
        f"import into the database: {ours:.2f} s; pabutools parse: {theirs:.2f} s; "
        f"ratio {ours / theirs:.1f} (target: 5 or less)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
