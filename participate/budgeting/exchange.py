"""Bringing a pabulib file in as a finished round, and writing any round's pot out as one.

Voter ids never cross: an imported file's voter ids are replaced by random keys, and an export
gives every ballot a new random id (as Decidim does), so a file cannot identify a voter.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import insert, select

from participate.accounts.models import Organisation, Space
from participate.budgeting import pabulib, rules, tally
from participate.budgeting.models import (
    Ballot,
    BallotChoice,
    BudgetProject,
    GrantRound,
    Pot,
    Result,
)
from participate.columns import utcnow
from participate.extensions import db
from participate.slugs import slugify

CHUNK = 5000  # rows per INSERT statement
KNOWN_PROJECT_COLUMNS = {"project_id", "cost", "name", "selected", "votes", "score"}


def outcome_record(outcome: tally.Outcome) -> dict:
    """An outcome as JSON: what was chosen and every project's reason, exact numbers as
    strings ("3/7")."""

    def exact(value):
        return None if value is None else str(value)

    return {
        "rule": outcome.rule,
        "selected": list(outcome.selected),
        "cost": outcome.cost,
        "per_voter": exact(outcome.per_voter),
        "reasons": {
            pid: {
                "status": r.status,
                "money_left": exact(r.money_left),
                "payers": r.payers,
                "paid": exact(r.paid),
                "supporters_money": exact(r.supporters_money),
            }
            for pid, r in outcome.reasons.items()
        },
    }


def import_pb(
    source: str | pabulib.PbFile,
    organisation: Organisation,
    progress: Callable[[int], None] | None = None,
) -> GrantRound:
    """A finished round from a pabulib file (its text, or the file already read): its space,
    one pot, the projects, every ballot and the count by the file's own rule. A bad file
    raises PabulibError (naming the line) before anything is written. The caller commits."""
    pb = pabulib.parse(source) if isinstance(source, str) else source
    election = pb.election()
    meta = dict(pb.meta)
    name = meta.get("description") or "Imported round"
    space = Space(
        slug=slugify(name, Space),
        name=name[:160],
        kind="grant_round",
        organisation_id=organisation.id,
        visibility="public",
        description="Imported from a pabulib file: "
        + " ".join(filter(None, [meta.get("unit"), meta.get("instance")])),
    )
    db.session.add(space)
    db.session.flush()
    kind = pb.kind
    rule = tally.PABULIB_RULES.get(meta.get("rule", ""), "greedy")
    grant_round = GrantRound(
        space_id=space.id,
        title=name[:200],
        ballot_type="cumulative" if kind == tally.CUMULATIVE else "approval",
        min_picks=_int(meta.get("min_length")),
        max_picks=_int(meta.get("max_length")),
        points=_int(meta.get("max_sum_points")),
        rule=rule,
        phase="closed",
        currency=(meta.get("currency") or "GBP")[:3],
        imported_meta=meta,
    )
    db.session.add(grant_round)
    db.session.flush()
    pot = Pot(round_id=grant_round.id, name=name[:160], amount=election.budget)
    db.session.add(pot)
    db.session.flush()

    project_ids = {}
    for row in pb.projects:
        project = BudgetProject(
            pot_id=pot.id,
            ref=row["project_id"],
            title=(row.get("name") or row["project_id"])[:300],
            cost=int(row["cost"]),
            status="feasible",
            extra={k: v for k, v in row.items() if k not in KNOWN_PROJECT_COLUMNS} or None,
        )
        db.session.add(project)
        db.session.flush()
        project_ids[project.ref] = project.id

    keys = _random_keys(len(pb.votes))
    done = 0
    for start in range(0, len(pb.votes), CHUNK):
        rows = pb.votes[start : start + CHUNK]
        ballot_ids = db.session.scalars(
            insert(Ballot).returning(Ballot.id, sort_by_parameter_order=True),
            [
                {"pot_id": pot.id, "voter_key": keys[start + i], "source": "imported"}
                for i in range(len(rows))
            ],
        ).all()
        choices = [
            {"ballot_id": ballot_id, "project_id": project_ids[pid], "points": points}
            for ballot_id, row in zip(ballot_ids, rows, strict=True)
            for pid, points in pb.ballot(row).items()
        ]
        if choices:
            db.session.execute(insert(BallotChoice), choices)
        done += len(rows)
        if progress is not None:
            progress(len(rows))

    outcome = tally.count(election, rule)
    figures = {
        "scores": tally.scores(election),
        "votes": tally.votes(election),
        "ballots": {
            **rules.source_counts(["imported"] * len(pb.votes)),
            "waiting": 0,
        },
    }
    db.session.add(
        Result(
            pot_id=pot.id,
            rule=rule,
            outcome={**outcome_record(outcome), **figures},
            published=True,
            published_at=utcnow(),
        )
    )
    return grant_round


def export_pb(grant_round: GrantRound, pot: Pot | None = None) -> str:
    """One pot of a round as a pabulib file, with new random voter ids. Paper ballots not
    yet checked by a second person are left out, as they are from the count."""
    from participate.budgeting.counting import counts

    pot = pot or grant_round.pots[0]
    projects = {p.id: p for p in pot.projects if p.status in ("feasible", "proposed")}
    meta = dict(grant_round.imported_meta or {})
    meta.update(
        {
            "description": meta.get("description") or grant_round.title,
            "num_projects": str(len(projects)),
            "budget": str(pot.amount),
            "vote_type": "cumulative" if grant_round.ballot_type == "cumulative" else "approval",
            "rule": _pabulib_rule(grant_round.rule),
            "currency": grant_round.currency,
        }
    )
    chosen = _selected(pot)
    cumulative = grant_round.ballot_type == "cumulative"
    votes = []
    choices = db.session.execute(
        select(BallotChoice.ballot_id, BallotChoice.project_id, BallotChoice.points)
        .join(Ballot, Ballot.id == BallotChoice.ballot_id)
        .where(counts(pot.id), BallotChoice.project_id.in_(projects))
        .order_by(BallotChoice.ballot_id, BallotChoice.project_id)
    ).all()
    by_ballot: dict[int, list[tuple[str, int]]] = {}
    for ballot_id, project_id, points in choices:
        by_ballot.setdefault(ballot_id, []).append((projects[project_id].ref, points))
    for picks in by_ballot.values():
        row = {"voter_id": "", "vote": ",".join(ref for ref, _p in picks)}
        if cumulative:
            row["points"] = ",".join(str(p) for _r, p in picks)
        votes.append(row)
    meta["num_votes"] = str(len(votes))
    project_rows = [
        {
            "project_id": p.ref,
            "cost": str(p.cost),
            "name": p.title,
            **({"selected": "1" if p.ref in chosen else "0"} if chosen is not None else {}),
        }
        for p in sorted(projects.values(), key=lambda p: tally.id_order(p.ref))
    ]
    return pabulib.write(pabulib.PbFile(meta, project_rows, votes), anonymise=True)


def _selected(pot: Pot) -> set[str] | None:
    result = db.session.scalars(
        select(Result).where(Result.pot_id == pot.id).order_by(Result.counted_at.desc())
    ).first()
    return set(result.outcome["selected"]) if result is not None else None


def _pabulib_rule(rule: str) -> str:
    return {v: k for k, v in tally.PABULIB_RULES.items()}.get(rule, rule)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _random_keys(n: int) -> list[str]:
    keys: set[str] = set()
    while len(keys) < n:
        keys.add("pb:" + secrets.token_hex(8))
    return list(keys)
