"""What is public about a place: the ONE module that decides it.

A place is an ``Organisation`` (usually a council). Its public facts are its PB rounds and
their projects and published results, the decisions its circles chose to publish, the
"you said, we did" commitments its commissions chose to publish, its public funds, the grants
those funds show and the ledger movements of those grants.

Every function asks the features' own rules (``budgeting.rules.can_view_round`` /
``results_visible``, ``Proposal.published``, ``commissions.rules.public_register``,
``grants.rules.can_view_fund`` / ``public_recipient``) as an anonymous visitor (``None``), so a
signed-in person sees exactly the same facts here as anyone else. The public place pages,
the open-data ZIP and the JSON API all read these functions.

Each row is a plain ``dict`` whose keys are the columns in ``TABLES`` (one list of columns per
table, with their type and a description: the CSV headers, the README and the API's schemas
are all written from it, so they cannot drift). Values are Python values (``date``, ``int``,
``str``, ``bool``, ``None``); ``plain(row)`` turns a row into JSON/CSV-ready values. Rows that
carry a figure which changes over time have an ``as_of`` date. Money in the grants tables is
in pence; PB budgets and costs are whole currency units, as on ballots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from participate.accounts.models import Organisation, Space
from participate.clock import local_today, place_zone
from participate.extensions import db

ANONYMOUS = None  # the facts are what a visitor who is not signed in may see
PRIVATE_RECIPIENT_NAME = "Individual Recipient"  # as in the 360Giving export


# --- the tables and their columns ------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a public table: its name, type (``integer``, ``string``, ``date``,
    ``boolean``), whether it may be empty, and what it means, in plain words."""

    name: str
    type: str
    about: str
    nullable: bool = False


def _c(name: str, type_: str, about: str, nullable: bool = False) -> Column:
    return Column(name, type_, about, nullable)


AS_OF = _c("as_of", "date", "The day the figures in this row were true (the day of the download).")

TABLES: dict[str, tuple[str, list[Column]]] = {
    "places": (
        "Places (councils, funders, community groups) with anything public.",
        [
            _c("slug", "string", "The place's short name, used in web addresses."),
            _c("name", "string", "The place's name."),
            _c("kind", "string", "council, funder or community_group."),
            _c("description", "string", "What the place says about itself.", True),
        ],
    ),
    "rounds": (
        "Participatory budgeting rounds: residents suggest projects and vote on them.",
        [
            _c("id", "integer", "The round's number in this system."),
            _c("slug", "string", "The round's short name, used in its web address."),
            _c("title", "string", "The round's title."),
            _c("summary", "string", "What the round is about.", True),
            _c(
                "phase",
                "string",
                "Where the round has got to: ideas, feasibility, voting, results, delivery "
                "or closed.",
            ),
            _c("area", "string", "The area the round covers (empty: the whole area).", True),
            _c("ballot_type", "string", "How people vote: approval, knapsack or cumulative."),
            _c("rule", "string", "How the votes are counted (a pabulib rule name)."),
            _c("currency", "string", "The currency of the budget (ISO 4217)."),
            _c("pots", "integer", "How many pots of money the round shares out."),
            _c("budget", "integer", "The money in all its pots, in whole currency units."),
            _c("ideas_from", "date", "The day suggestions open.", True),
            _c("voting_from", "date", "The day voting opens.", True),
            _c("results_from", "date", "The day results are due.", True),
            _c("ends_on", "date", "The day the round ends.", True),
            AS_OF,
        ],
    ),
    "projects": (
        "Projects suggested in the public rounds, with the council's check of each.",
        [
            _c("id", "integer", "The project's number in this system."),
            _c("round_id", "integer", "The round it was suggested in (rounds.csv id)."),
            _c("pot_id", "integer", "The pot of money it asks for."),
            _c("pot", "string", "The pot's name."),
            _c("ref", "string", "Its id on ballots and in the pabulib file."),
            _c("title", "string", "The project's title."),
            _c("what", "string", "What the project would do.", True),
            _c("where", "string", "Where it would happen.", True),
            _c("who_for", "string", "Who it is for.", True),
            _c("cost", "integer", "What it would cost, in whole currency units."),
            _c(
                "status",
                "string",
                "proposed (waiting to be checked), feasible (can go to the vote), "
                "not_feasible, withdrawn or merged.",
            ),
            _c("feasibility_reason", "string", "The council's reason for its check.", True),
            _c("merged_into_id", "integer", "The project it joined, if merged.", True),
        ],
    ),
    "results": (
        "Published results of the rounds: every project in each counted pot, its votes and "
        "whether it is funded.",
        [
            _c("round_id", "integer", "The round (rounds.csv id)."),
            _c("pot_id", "integer", "The pot counted."),
            _c("pot", "string", "The pot's name."),
            _c("budget", "integer", "The pot's money, in whole currency units."),
            _c("project_id", "integer", "The project (projects.csv id).", True),
            _c("ref", "string", "The project's id on ballots."),
            _c("title", "string", "The project's title."),
            _c("cost", "integer", "Its cost, in whole currency units."),
            _c("votes", "integer", "How many voters chose it."),
            _c("score", "integer", "Its votes, or its points on a points ballot."),
            _c(
                "count_status",
                "string",
                "What the count said: won, did_not_fit, not_reached, no_votes or too_few_shares.",
            ),
            _c("won", "boolean", "Whether the count chose it."),
            _c("funded", "boolean", "Whether it is funded, after any published council change."),
            _c("changed", "boolean", "Whether the council changed the count's answer for it."),
            _c("rule", "string", "The counting rule used."),
            _c("published_on", "date", "The day the result was published.", True),
            AS_OF,
        ],
    ),
    "decisions": (
        "Decisions made by consent that their circle chose to publish.",
        [
            _c("id", "integer", "The decision's number in this system."),
            _c("proposal_id", "integer", "The proposal it came from."),
            _c("title", "string", "The proposal's title."),
            _c("circle", "string", "The circle (group) that decided."),
            _c("text", "string", "What was decided."),
            _c("adopted_on", "date", "The day it was agreed."),
            _c("review_on", "date", "The day it will be looked at again.", True),
        ],
    ),
    "commitments": (
        "'You said, we did': promises made to poverty truth commissions, published by them.",
        [
            _c("id", "integer", "The commitment's number in this system."),
            _c("commission", "string", "The commission it was made to."),
            _c("what", "string", "What was promised."),
            _c("who", "string", "The role (and organisation) that promised it."),
            _c("due_on", "date", "The day it is due.", True),
            _c("status", "string", "not_started, in_progress, delivered or not_delivered."),
            _c("overdue", "boolean", "Past its due day and not delivered or closed."),
            _c("evidence", "string", "What shows it happened.", True),
            _c(
                "flags_raised",
                "integer",
                "How many times community commissioners said it hadn't happened.",
            ),
            _c("flags_unanswered", "integer", "How many of those still wait for an answer."),
            AS_OF,
        ],
    ),
    "funds": (
        "Small-grant funds open to the public, and their money.",
        [
            _c("id", "integer", "The fund's number in this system."),
            _c("slug", "string", "The fund's short name, used in its web address."),
            _c("name", "string", "The fund's name."),
            _c("summary", "string", "What the fund is for.", True),
            _c("status", "string", "open, paused or closed."),
            _c(
                "decides_by", "string", "How applications are decided: panel, consent or residents."
            ),
            _c("currency", "string", "The fund's currency (ISO 4217)."),
            _c("opens_on", "date", "The day applications open.", True),
            _c("closure_starts", "date", "The day grants start closing."),
            _c("ends_on", "date", "The day the fund ends."),
            _c("total_pence", "integer", "Money put into the fund, in pence."),
            _c("committed_pence", "integer", "Promised to grants, not yet paid, in pence."),
            _c("paid_pence", "integer", "Paid to grants, in pence."),
            _c("returned_pence", "integer", "Returned or not needed, in pence."),
            _c("available_pence", "integer", "Left to give, in pence."),
            AS_OF,
        ],
    ),
    "grants": (
        "Grants awarded from the public funds (never applications not awarded). A person who "
        "did not choose to be named is called 'Individual Recipient'.",
        [
            _c("id", "integer", "The grant's number in this system (transactions.csv grant_id)."),
            _c("fund_id", "integer", "The fund (funds.csv id)."),
            _c("fund", "string", "The fund's short name."),
            _c("number", "integer", "The grant's number within its fund."),
            _c("title", "string", "What the grant is called."),
            _c("recipient", "string", "Who it went to."),
            _c(
                "recipient_kind",
                "string",
                "organisation, hosted (a group with a host) or individual.",
            ),
            _c("amount_awarded_pence", "integer", "The money awarded, in pence."),
            _c("currency", "string", "The currency (ISO 4217)."),
            _c("status", "string", "awarded, active, closing, closed or cancelled."),
            _c("decided_by", "string", "How it was decided: panel, consent or residents.", True),
            _c("awarded_on", "date", "The day it was decided.", True),
            _c("pb_project_id", "integer", "The PB project it came from (projects.csv id).", True),
            _c("proposal_id", "integer", "The consent proposal that decided it.", True),
            AS_OF,
        ],
    ),
    "transactions": (
        "The ledger's money movements for the public funds: money in, and each public "
        "grant's award, payments, returns and releases. No references or notes.",
        [
            _c("id", "integer", "The movement's number in this system."),
            _c("fund_id", "integer", "The fund (funds.csv id)."),
            _c("grant_id", "integer", "The grant (grants.csv id); empty for money in.", True),
            _c(
                "kind",
                "string",
                "funding (money into the fund), award, payment, return, release or reversal "
                "(a correction).",
            ),
            _c("occurred_on", "date", "The day it happened."),
            _c("amount_pence", "integer", "The money moved, in pence."),
            _c("currency", "string", "The currency (ISO 4217)."),
            _c("reverses_id", "integer", "For a correction, the movement it corrects.", True),
        ],
    ),
}


def columns(table: str) -> list[str]:
    """The column names of a table, in order."""
    return [c.name for c in TABLES[table][1]]


def plain(row: dict) -> dict:
    """A row with JSON- and CSV-ready values (dates as ISO strings)."""
    return {
        key: value.isoformat() if isinstance(value, date | datetime) else value
        for key, value in row.items()
    }


def _local_day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    return moment.astimezone(place_zone()).date() if moment.tzinfo else moment.date()


def _today(today: date | None) -> date:
    return today or local_today()


# --- places ----------------------------------------------------------------------------------


def place_by_slug(slug: str) -> Organisation | None:
    """The organisation with this slug, or ``None``."""
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def _space_ids(org: Organisation) -> list[int]:
    return list(db.session.scalars(select(Space.id).where(Space.organisation_id == org.id)))


def place_row(org: Organisation) -> dict:
    """The place itself, as a ``places`` row."""
    return {"slug": org.slug, "name": org.name, "kind": org.kind, "description": org.description}


def has_public_facts(org: Organisation, today: date | None = None) -> bool:
    """Whether anything about the place is public."""
    today = _today(today)
    return bool(
        _public_rounds(org)
        or place_decisions(org, today)
        or place_commitments(org, today)
        or _public_funds(org)
    )


def public_place(slug: str) -> Organisation | None:
    """The place with this slug if anything about it is public, else ``None``."""
    org = place_by_slug(slug)
    return org if org is not None and has_public_facts(org) else None


def public_places(today: date | None = None) -> list[Organisation]:
    """Organisations with anything public, by name."""
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name, Organisation.id))
    return [o for o in orgs if has_public_facts(o, today)]


def place_counts(org: Organisation, today: date | None = None) -> dict[str, int]:
    """How many public rows each table has for the place."""
    today = _today(today)
    return {
        "rounds": len(place_rounds(org, today)),
        "projects": len(place_projects(org, today)),
        "results": len(place_results(org, today)),
        "decisions": len(place_decisions(org, today)),
        "commitments": len(place_commitments(org, today)),
        "funds": len(place_funds(org, today)),
        "grants": len(place_grants(org, today)),
        "transactions": len(place_transactions(org, today)),
    }


# --- participatory budgeting -----------------------------------------------------------------


def _public_rounds(org: Organisation) -> list:
    """The place's rounds an anonymous visitor may see (``budgeting.rules.can_view_round``)."""
    from participate.budgeting import rules as pb_rules
    from participate.budgeting.models import GrantRound

    ids = _space_ids(org)
    if not ids:
        return []
    rounds = db.session.scalars(
        select(GrantRound).where(GrantRound.space_id.in_(ids)).order_by(GrantRound.id)
    ).all()
    return [r for r in rounds if pb_rules.can_view_round(ANONYMOUS, r)]


def public_round(org: Organisation, slug: str):
    """One public round of the place by its slug, or ``None``."""
    return next((r for r in _public_rounds(org) if r.space.slug == slug), None)


def place_rounds(org: Organisation, today: date | None = None) -> list[dict]:
    """The place's public PB rounds (not those being set up, not members-only ones)."""
    today = _today(today)
    rows = []
    for rnd in _public_rounds(org):
        rows.append(
            {
                "id": rnd.id,
                "slug": rnd.space.slug,
                "title": rnd.title,
                "summary": rnd.summary,
                "phase": rnd.phase,
                "area": rnd.area_name,
                "ballot_type": rnd.ballot_type,
                "rule": rnd.rule,
                "currency": rnd.currency,
                "pots": len(rnd.pots),
                "budget": sum(int(p.amount) for p in rnd.pots),
                "ideas_from": rnd.ideas_from,
                "voting_from": rnd.voting_from,
                "results_from": rnd.results_from,
                "ends_on": rnd.ends_on,
                "as_of": today,
            }
        )
    return rows


def place_projects(org: Organisation, today: date | None = None) -> list[dict]:
    """Every project in the place's public rounds, as the round's projects page lists them.
    Who suggested a project is left out."""
    rows = []
    for rnd in _public_rounds(org):
        for pot in rnd.pots:
            for p in pot.projects:
                rows.append(
                    {
                        "id": p.id,
                        "round_id": rnd.id,
                        "pot_id": pot.id,
                        "pot": pot.name,
                        "ref": p.ref,
                        "title": p.title,
                        "what": p.what,
                        "where": p.where_text,
                        "who_for": p.who_for,
                        "cost": int(p.cost),
                        "status": p.status,
                        "feasibility_reason": p.feasibility_reason,
                        "merged_into_id": p.merged_into_id,
                    }
                )
    return rows


def published_pots(org: Organisation) -> list[tuple]:
    """``(round, pot, result)`` for each pot of a public round with a published result that
    an anonymous visitor may see (``budgeting.rules.results_visible``)."""
    from participate.budgeting import counting
    from participate.budgeting import rules as pb_rules

    found = []
    for rnd in _public_rounds(org):
        if not pb_rules.at_or_after(rnd, "results"):
            continue
        for pot in rnd.pots:
            result = counting.latest_result(pot, published_only=True)
            if result is not None and pb_rules.results_visible(ANONYMOUS, rnd, result.published):
                found.append((rnd, pot, result))
    return found


def place_results(org: Organisation, today: date | None = None) -> list[dict]:
    """Published results only: one row per project in each counted pot, as the results
    page explains it (``budgeting.results.pot_result``)."""
    from participate.budgeting.results import pot_result

    today = _today(today)
    rows = []
    for rnd, pot, result in published_pots(org):
        shown = pot_result(pot, rnd, result)
        ids = shown.ids or {}
        for row in shown.explained.rows:
            rows.append(
                {
                    "round_id": rnd.id,
                    "pot_id": pot.id,
                    "pot": pot.name,
                    "budget": int(pot.amount),
                    "project_id": ids.get(row.ref),
                    "ref": row.ref,
                    "title": row.title,
                    "cost": int(row.cost),
                    "votes": int(row.votes),
                    "score": int(row.score),
                    "count_status": row.status,
                    "won": bool(row.won),
                    "funded": bool(row.funded),
                    "changed": bool(row.changed),
                    "rule": result.rule,
                    "published_on": _local_day(result.published_at),
                    "as_of": today,
                }
            )
    return rows


# --- decisions -------------------------------------------------------------------------------


def place_decisions(org: Organisation, today: date | None = None) -> list[dict]:
    """Decisions of the place's circles (its spaces and the commissions it hosts) that were
    agreed and that the circle chose to publish (``Proposal.published``), as the public
    decisions pages show them."""
    from participate.decisions import steps
    from participate.decisions.models import Proposal

    ids = _space_ids(org) + [c.space_id for c in place_commissions(org)]
    if not ids:
        return []
    proposals = db.session.scalars(
        select(Proposal)
        .where(
            Proposal.space_id.in_(ids),
            Proposal.published.is_(True),
            Proposal.state == "adopted",
        )
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc())
    ).all()
    rows = []
    for proposal in proposals:
        decision = steps.latest_decision(proposal)
        if decision is None:
            continue
        rows.append(
            {
                "id": decision.id,
                "proposal_id": proposal.id,
                "title": proposal.title,
                "circle": proposal.space.name,
                "text": decision.text,
                "adopted_on": _local_day(decision.adopted_at),
                "review_on": steps.current_review_on(decision),
            }
        )
    return rows


# --- commitments -----------------------------------------------------------------------------


def place_commissions(org: Organisation) -> list:
    """The place's commissions: in its spaces, or hosted by it."""
    from participate.commissions.models import Commission, CommissionHost

    ids = _space_ids(org)
    hosted = select(CommissionHost.commission_id).where(CommissionHost.organisation_id == org.id)
    conditions = [Commission.id.in_(hosted)]
    if ids:
        conditions.append(Commission.space_id.in_(ids))
    return list(
        db.session.scalars(select(Commission).where(or_(*conditions)).order_by(Commission.id))
    )


def place_commitments(org: Organisation, today: date | None = None) -> list[dict]:
    """Commitments the place's commissions chose to publish
    (``commissions.rules.public_register``), with no person's name: roles and organisations
    only, as the "you said, we did" page shows them."""
    from participate.commissions import rules as c_rules
    from participate.commissions.commitments import public_register

    today = _today(today)
    rows = []
    for commission in place_commissions(org):
        for c in public_register(commission):
            flags = c_rules.flag_summary(c.flags)
            who = c.owner_role
            if c.owner_organisation is not None:
                who = f"{who}, {c.owner_organisation.name}"
            rows.append(
                {
                    "id": c.id,
                    "commission": commission.space.name,
                    "what": c.what,
                    "who": who,
                    "due_on": c.due_on,
                    "status": c.status,
                    "overdue": c_rules.is_overdue(c, today),
                    "evidence": c.evidence,
                    "flags_raised": flags.raised,
                    "flags_unanswered": flags.unanswered,
                    "as_of": today,
                }
            )
    return rows


def commission_slugs_with_register(org: Organisation) -> list[str]:
    """Slugs of the place's commissions whose "you said, we did" page has something."""
    from participate.commissions.commitments import public_register

    return [c.space.slug for c in place_commissions(org) if public_register(c)]


# --- funds, grants and the ledger ------------------------------------------------------------

# The grants a fund page lists: awarded, still running, closing, cancelled or closed.
PUBLIC_GRANT_STATUSES = ("awarded", "active", "closing", "cancelled", "closed")


def _public_funds(org: Organisation) -> list:
    """The place's funds an anonymous visitor may see (``grants.rules.can_view_fund``)."""
    from participate.grants import rules as g_rules
    from participate.grants.models import Fund

    ids = _space_ids(org)
    if not ids:
        return []
    funds = db.session.scalars(select(Fund).where(Fund.space_id.in_(ids)).order_by(Fund.id)).all()
    return [f for f in funds if g_rules.can_view_fund(ANONYMOUS, f)]


def public_fund(org: Organisation, slug: str):
    """One public fund of the place by its slug, or ``None``."""
    return next((f for f in _public_funds(org) if f.slug == slug), None)


def place_funds(org: Organisation, today: date | None = None) -> list[dict]:
    """The place's public funds with the money figures their fund page shows."""
    from participate.grants import books
    from participate.grants import rules as g_rules

    today = _today(today)
    rows = []
    for fund in _public_funds(org):
        money = books.fund_money(fund)
        rows.append(
            {
                "id": fund.id,
                "slug": fund.slug,
                "name": fund.name,
                "summary": fund.summary,
                "status": fund.status,
                "decides_by": fund.decides_by,
                "currency": fund.currency,
                "opens_on": fund.opens_on,
                "closure_starts": g_rules.closure_starts(fund),
                "ends_on": fund.ends_on,
                "total_pence": int(money.total),
                "committed_pence": int(money.committed),
                "paid_pence": int(money.paid),
                "returned_pence": int(money.returned),
                "available_pence": int(money.available),
                "as_of": today,
            }
        )
    return rows


def public_grant_objects(org: Organisation) -> list:
    """The ``Grant`` objects the place's public fund pages list, by fund then number."""
    from participate.grants.models import Grant

    funds = _public_funds(org)
    if not funds:
        return []
    return list(
        db.session.scalars(
            select(Grant)
            .where(
                Grant.fund_id.in_([f.id for f in funds]),
                Grant.status.in_(PUBLIC_GRANT_STATUSES),
            )
            .order_by(Grant.fund_id, Grant.number)
        )
    )


def place_grants(org: Organisation, today: date | None = None) -> list[dict]:
    """The grants the public fund pages show. A person who did not choose to be named is
    never named (``grants.rules.public_recipient``)."""
    from participate.grants import rules as g_rules

    today = _today(today)
    rows = []
    for grant in public_grant_objects(org):
        named = g_rules.public_recipient(grant)
        rows.append(
            {
                "id": grant.id,
                "fund_id": grant.fund_id,
                "fund": grant.fund.slug,
                "number": grant.number,
                "title": grant.title,
                "recipient": named if named is not None else PRIVATE_RECIPIENT_NAME,
                "recipient_kind": grant.recipient_kind,
                "amount_awarded_pence": int(grant.amount_awarded or 0),
                "currency": grant.fund.currency,
                "status": grant.status,
                "decided_by": grant.decided_by,
                "awarded_on": _local_day(grant.decided_at),
                "pb_project_id": grant.project_id,
                "proposal_id": grant.proposal_id,
                "as_of": today,
            }
        )
    return rows


def place_transactions(org: Organisation, today: date | None = None) -> list[dict]:
    """Ledger movements of the place's public funds: money in, and the movements of public
    grants. Date, kind, amount and grant only: no payment references, no notes."""
    from participate.grants.models import LedgerTransaction

    funds = {f.id: f for f in _public_funds(org)}
    if not funds:
        return []
    grant_ids = {g.id for g in public_grant_objects(org)}
    txs = db.session.scalars(
        select(LedgerTransaction)
        .where(LedgerTransaction.fund_id.in_(funds))
        .options(selectinload(LedgerTransaction.postings))
        .order_by(LedgerTransaction.occurred_on, LedgerTransaction.id)
    ).all()
    rows = []
    for tx in txs:
        if tx.grant_id is None:
            if tx.kind not in ("funding", "reversal"):
                continue
        elif tx.grant_id not in grant_ids:
            continue
        rows.append(
            {
                "id": tx.id,
                "fund_id": tx.fund_id,
                "grant_id": tx.grant_id,
                "kind": tx.kind,
                "occurred_on": tx.occurred_on,
                "amount_pence": sum(int(p.amount) for p in tx.postings if p.amount > 0),
                "currency": funds[tx.fund_id].currency,
                "reverses_id": tx.reverses_id,
            }
        )
    return rows


# --- everything at once ----------------------------------------------------------------------

TABLE_FUNCTIONS = {
    "rounds": place_rounds,
    "projects": place_projects,
    "results": place_results,
    "decisions": place_decisions,
    "commitments": place_commitments,
    "funds": place_funds,
    "grants": place_grants,
    "transactions": place_transactions,
}
# The lists of one place, in this order in the open-data ZIP, its README and the API.
PLACE_TABLES = tuple(TABLE_FUNCTIONS)


def place_tables(org: Organisation, today: date | None = None) -> dict[str, list[dict]]:
    """Every public table of the place, by table name (the keys of ``TABLE_FUNCTIONS``)."""
    today = _today(today)
    return {name: fn(org, today) for name, fn in TABLE_FUNCTIONS.items()}
