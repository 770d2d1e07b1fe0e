"""pabulib files in and out of the database: a finished round with every ballot, the count by
the file's rule, new voter ids on the way out, and a bad file that changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from participate.budgeting import exchange, pabulib, tally
from participate.budgeting.models import Ballot, BallotChoice, BudgetProject, GrantRound, Result
from participate.extensions import db
from tests import factories as f

DATA = Path(__file__).resolve().parent.parent / "data" / "pabulib"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_file_comes_in_as_a_finished_round_and_goes_out_the_same(app):
    text = (DATA / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8")
    original = pabulib.parse(text)
    grant_round = exchange.import_pb(text, f.organisation())
    db.session.commit()
    assert grant_round.phase == "closed" and grant_round.rule == "mes-add1"
    assert grant_round.space.kind == "grant_round" and grant_round.min_picks == 2
    assert _count(BudgetProject) == 14 and _count(Ballot) == 84
    assert _count(BallotChoice) == sum(len(original.ballot(v)) for v in original.votes)
    voter_keys = {b.voter_key for b in db.session.scalars(select(Ballot))}
    assert not voter_keys & {v["voter_id"] for v in original.votes}  # ids replaced
    result = db.session.scalars(select(Result)).one()
    assert sorted(result.outcome["selected"], key=tally.id_order) == sorted(
        original.selected, key=tally.id_order
    )

    out = pabulib.parse(exchange.export_pb(grant_round))
    assert out.meta["budget"] == original.meta["budget"] and out.meta["rule"] == "equalshares/add1"
    assert sorted(out.selected, key=tally.id_order) == sorted(original.selected, key=tally.id_order)
    assert sorted(sorted(out.ballot(v)) for v in out.votes) == sorted(
        sorted(original.ballot(v)) for v in original.votes
    )
    assert not {v["voter_id"] for v in out.votes} & {v["voter_id"] for v in original.votes}
    again = tally.count(out.election(), "mes-add1")
    assert sorted(again.selected) == sorted(result.outcome["selected"])


def test_cumulative_points_survive_the_round_trip(app):
    text = (DATA / "Poland_Gdansk_2020_Stogi.pb").read_text(encoding="utf-8")
    grant_round = exchange.import_pb(text, f.organisation())
    db.session.commit()
    assert grant_round.ballot_type == "cumulative"
    out = pabulib.parse(exchange.export_pb(grant_round))
    before = pabulib.parse(text)
    assert tally.scores(out.election()) == tally.scores(before.election())


def test_the_commands_import_and_export_and_a_bad_file_changes_nothing(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["budgeting", "import-pb", str(DATA / "Netherlands_Assen_2024.pb")])
    assert result.exit_code == 0, result.output
    round_id = json.loads(result.output.strip().splitlines()[-1])["round_id"]
    target = tmp_path / "out.pb"
    exported = runner.invoke(args=["budgeting", "export-pb", str(round_id), "-o", str(target)])
    assert exported.exit_code == 0 and target.read_text(encoding="utf-8").startswith("META")

    rounds, ballots = _count(GrantRound), _count(Ballot)
    bad = tmp_path / "bad.pb"
    bad.write_text(
        (DATA / "Netherlands_Assen_2024.pb")
        .read_text(encoding="utf-8")
        .replace("vote\n", "vote\n", 1)
        + "oops;99,98\n",
        encoding="utf-8",
    )
    failed = runner.invoke(args=["budgeting", "import-pb", str(bad)])
    assert failed.exit_code != 0 and "line" in failed.output and "unknown project" in failed.output
    db.session.expire_all()
    assert (_count(GrantRound), _count(Ballot)) == (rounds, ballots)
