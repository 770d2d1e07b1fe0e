"""What a grant round asks of someone, on their home page: a vote not yet cast, and for the
people running a round the ideas waiting to be checked, paper ballots waiting for a second
person, and results waiting to be counted or published."""

from __future__ import annotations

from sqlalchemy import func, select

from participate.budgeting import counting, rules
from participate.budgeting.models import Ballot, BudgetProject, GrantRound, PaperBatch, Pot
from participate.clock import local_today
from participate.extensions import db
from participate.text import N_
from participate.web.home import TASK_PROVIDERS, Task

ACTIVE = ("ideas", "feasibility", "voting", "results")


def _waiting_ideas(rnd: GrantRound) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(BudgetProject)
        .join(Pot, BudgetProject.pot_id == Pot.id)
        .where(Pot.round_id == rnd.id, BudgetProject.status == "proposed")
    )


def _batches_to_check(person, rnd: GrantRound) -> bool:
    batches = db.session.scalars(
        select(PaperBatch)
        .join(Pot, PaperBatch.pot_id == Pot.id)
        .where(Pot.round_id == rnd.id, PaperBatch.checked_by_id.is_(None))
    )
    return any(rules.can_check_batch(person, b, rnd) and not b.returned_note for b in batches)


def _has_voted(person, rnd: GrantRound) -> bool:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Ballot)
            .join(Pot, Ballot.pot_id == Pot.id)
            .where(Pot.round_id == rnd.id, Ballot.voter_key == f"person:{person.id}")
        )
        > 0
    )


def _home_tasks(person) -> list[Task]:
    today = local_today()
    tasks: list[Task] = []
    for rnd in db.session.scalars(select(GrantRound).where(GrantRound.phase.in_(ACTIVE))):
        args, name = {"slug": rnd.space.slug}, rnd.title
        if rules.may_vote(person, rnd, today) and not _has_voted(person, rnd):
            tasks.append(Task(N_("Vote in %(space)s"), "budgeting.vote", args, name))
        if rules.can_mark_feasibility(person, rnd) and _waiting_ideas(rnd):
            tasks.append(
                Task(
                    N_("Check the ideas waiting in %(space)s"),
                    "budgeting.projects",
                    {**args, "status": "proposed"},
                    name,
                )
            )
        if rules.can_enter_paper(person, rnd) and _batches_to_check(person, rnd):
            tasks.append(
                Task(
                    N_("Check paper ballots someone else typed in for %(space)s"),
                    "budgeting.paper",
                    args,
                    name,
                )
            )
        if rules.can_count(person, rnd) and any(
            counting.latest_result(pot, published_only=True) is None for pot in rnd.pots
        ):
            tasks.append(
                Task(
                    N_("Count and publish the results of %(space)s"),
                    "budgeting.results",
                    args,
                    name,
                )
            )
    return tasks


TASK_PROVIDERS.append(_home_tasks)
