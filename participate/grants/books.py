"""The grants ledger in the database: every movement of money is one balanced transaction of
postings, checked by ``ledger.py`` before it is written, and nothing written is changed.

Accounts, per fund (``LedgerAccount.code``):
- ``income``: where the fund's money came from (it goes below zero as money comes in);
- ``available``: not yet promised to anyone;
- for each grant G, ``committed:G`` (promised, not yet paid), ``paid:G`` (paid to the
  grantee) and ``returned:G`` (given back, or released unpaid). Together they are the grantee's
  account: they add up to what G was awarded, so paid plus returned never exceeds the award.

The movements: ``funding`` income → available; ``award`` available → committed:G;
``payment`` committed:G → paid:G; ``return`` paid:G → returned:G (the grantee gives money
back); ``release`` committed:G → returned:G (promised money no longer needed); ``reversal``
undoes one earlier transaction exactly. No account but ``income`` may go below zero, and a
closed grant accepts no movement at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from participate.clock import local_today
from participate.extensions import db
from participate.grants import ledger, rules
from participate.grants.models import (
    Fund,
    Grant,
    LedgerAccount,
    LedgerPosting,
    LedgerTransaction,
    Payment,
)
from participate.problems import Refusal
from participate.text import N_

GRANT_KINDS = ("committed", "paid", "returned")


class LedgerRefused(Refusal):
    """A movement the ledger will not take (it would overdraw, or the grant is closed); its
    message is marked with N_ and shown translated."""


def code(kind: str, grant: Grant | None = None) -> str:
    return f"{kind}:{grant.id}" if grant is not None else kind


def _account(fund: Fund, account_code: str, lock: bool = False) -> LedgerAccount:
    query = select(LedgerAccount).where(
        LedgerAccount.fund_id == fund.id, LedgerAccount.code == account_code
    )
    if lock:
        query = query.with_for_update()
    found = db.session.scalar(query)
    if found is None:
        kind, _, grant_id = account_code.partition(":")
        found = LedgerAccount(
            fund_id=fund.id,
            code=account_code,
            kind=kind,
            grant_id=int(grant_id) if grant_id else None,
            balance=0,
        )
        db.session.add(found)
        db.session.flush()
    return found


def post(
    fund: Fund,
    kind: str,
    moves: dict[str, int],
    *,
    memo: str,
    by=None,
    grant: Grant | None = None,
    occurred_on: date | None = None,
    reference: str | None = None,
    reverses: LedgerTransaction | None = None,
) -> LedgerTransaction:
    """Write one balanced transaction, or raise ``LedgerRefused`` and write nothing."""
    try:
        ledger.transaction(0, moves, reverses.id if reverses is not None else None)
    except ValueError as error:
        raise LedgerRefused(str(error)) from error
    if grant is not None and not rules.accepts_money(grant.status, kind):
        raise LedgerRefused(
            N_("grant %(reference)s is %(status)s: no %(kind)s now"),
            reference=grant.reference,
            status=grant.status,
            kind=kind,
        )
    accounts = {c: _account(fund, c, lock=True) for c in sorted(moves)}
    after = {c: accounts[c].balance + n for c, n in moves.items()}
    overdrawn = ledger.overdrawn(after, [c for c in after if c != "income"])
    if overdrawn:
        raise LedgerRefused(
            N_("this would take %(accounts)s below zero"), accounts=", ".join(overdrawn)
        )
    tx = LedgerTransaction(
        fund_id=fund.id,
        grant_id=grant.id if grant is not None else None,
        kind=kind,
        memo=memo,
        reference=reference,
        occurred_on=occurred_on or local_today(),
        reverses_id=reverses.id if reverses is not None else None,
        created_by_id=by.id if by is not None else None,
    )
    db.session.add(tx)
    db.session.flush()
    for account_code, amount in moves.items():
        db.session.add(
            LedgerPosting(transaction_id=tx.id, account_id=accounts[account_code].id, amount=amount)
        )
        accounts[account_code].balance = after[account_code]
    db.session.flush()
    return tx


# --- the movements ---------------------------------------------------------------------------


def fund_in(fund: Fund, amount: int, *, memo: str, by=None, occurred_on=None, reference=None):
    return post(
        fund,
        "funding",
        {"income": -amount, "available": amount},
        memo=memo,
        by=by,
        occurred_on=occurred_on,
        reference=reference,
    )


def award(grant: Grant, amount: int, *, memo: str, by=None, occurred_on=None):
    return post(
        grant.fund,
        "award",
        {"available": -amount, code("committed", grant): amount},
        memo=memo,
        by=by,
        grant=grant,
        occurred_on=occurred_on,
    )


def pay(payment: Payment, *, memo: str, by=None, paid_on=None, reference=None):
    grant = payment.grant
    return post(
        grant.fund,
        "payment",
        {code("committed", grant): -payment.amount, code("paid", grant): payment.amount},
        memo=memo,
        by=by,
        grant=grant,
        occurred_on=paid_on,
        reference=reference,
    )


def give_back(grant: Grant, amount: int, *, memo: str, by=None, occurred_on=None, reference=None):
    """The grantee sends back money they were paid and did not spend."""
    return post(
        grant.fund,
        "return",
        {code("paid", grant): -amount, code("returned", grant): amount},
        memo=memo,
        by=by,
        grant=grant,
        occurred_on=occurred_on,
        reference=reference,
    )


def release(grant: Grant, amount: int, *, memo: str, by=None, occurred_on=None):
    """Money promised to the grant and never paid goes back, visibly, as returned."""
    return post(
        grant.fund,
        "release",
        {code("committed", grant): -amount, code("returned", grant): amount},
        memo=memo,
        by=by,
        grant=grant,
        occurred_on=occurred_on,
    )


def reverse(tx: LedgerTransaction, *, memo: str, by=None) -> LedgerTransaction:
    """Undo ``tx`` with a transaction that points at it (each is reversed at most once)."""
    if tx.kind == "reversal":
        raise LedgerRefused(N_("a correction is not corrected again: make a new movement"))
    if tx.kind == "award":
        raise LedgerRefused(N_("an award is undone by cancelling the grant, which releases it"))
    if db.session.scalar(
        select(LedgerTransaction.id).where(LedgerTransaction.reverses_id == tx.id)
    ):
        raise LedgerRefused(N_("transaction %(id)s is already reversed"), id=tx.id)
    fund = db.session.get(Fund, tx.fund_id)
    grant = db.session.get(Grant, tx.grant_id) if tx.grant_id else None
    if grant is not None and grant.status == "closed":
        raise LedgerRefused(N_("grant %(reference)s is closed"), reference=grant.reference)
    moves: dict[str, int] = defaultdict(int)
    for p in tx.postings:
        moves[p.account.code] -= p.amount
    return post(fund, "reversal", dict(moves), memo=memo, by=by, grant=grant, reverses=tx)


# --- what the postings add up to -------------------------------------------------------------


def derived_balances(fund: Fund) -> dict[str, int]:
    rows = db.session.execute(
        select(LedgerAccount.code, func.coalesce(func.sum(LedgerPosting.amount), 0))
        .join(LedgerPosting, LedgerPosting.account_id == LedgerAccount.id, isouter=True)
        .where(LedgerAccount.fund_id == fund.id)
        .group_by(LedgerAccount.code)
    ).all()
    return {account_code: int(total) for account_code, total in rows}


@dataclass(frozen=True)
class GrantMoney:
    unpaid: int  # promised, not yet paid
    paid: int  # paid and kept
    returned: int  # given back or released

    @property
    def awarded(self) -> int:
        return self.unpaid + self.paid + self.returned


def grant_money(grant: Grant) -> GrantMoney:
    rows = dict(
        db.session.execute(
            select(LedgerAccount.kind, LedgerAccount.balance).where(
                LedgerAccount.grant_id == grant.id
            )
        ).all()
    )
    return GrantMoney(rows.get("committed", 0), rows.get("paid", 0), rows.get("returned", 0))


@dataclass(frozen=True)
class FundMoney:
    total: int  # all the money put into the fund
    available: int
    committed: int
    paid: int
    returned: int


def fund_money(fund: Fund) -> FundMoney:
    sums: dict[str, int] = defaultdict(int)
    for kind, balance in db.session.execute(
        select(LedgerAccount.kind, func.sum(LedgerAccount.balance))
        .where(LedgerAccount.fund_id == fund.id)
        .group_by(LedgerAccount.kind)
    ).all():
        sums[kind] = int(balance or 0)
    return FundMoney(
        -sums["income"], sums["available"], sums["committed"], sums["paid"], sums["returned"]
    )


def pending_payments(grant: Grant) -> int:
    """Money asked for or approved and not yet paid."""
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(Payment.amount), 0)).where(
                Payment.grant_id == grant.id, Payment.status.in_(("requested", "approved"))
            )
        )
    )


# --- checking the whole ledger ---------------------------------------------------------------


def _as_core(fund: Fund) -> list[ledger.Transaction]:
    txs = db.session.scalars(
        select(LedgerTransaction)
        .where(LedgerTransaction.fund_id == fund.id)
        .order_by(LedgerTransaction.id)
    ).all()
    return [
        ledger.Transaction(
            tx.id,
            tuple(ledger.Posting(p.account.code, p.amount) for p in tx.postings),
            tx.reverses_id,
        )
        for tx in txs
    ]


def verify(fund: Fund) -> list[str]:
    """Every problem in one fund's books, in words (an empty list: the books are right)."""
    core = _as_core(fund)
    stored = {
        a.code: a.balance
        for a in db.session.scalars(select(LedgerAccount).where(LedgerAccount.fund_id == fund.id))
    }
    problems = ledger.verify(core, stored)
    derived = ledger.balances(core)
    for account_code in ledger.overdrawn(derived, [c for c in derived if c != "income"]):
        problems.append(f"account {account_code} is below zero ({derived[account_code]})")
    grants = db.session.scalars(select(Grant).where(Grant.fund_id == fund.id).order_by(Grant.id))
    for grant in grants:
        paid = derived.get(code("paid", grant), 0)
        returned = derived.get(code("returned", grant), 0)
        awarded = grant.amount_awarded or 0
        if paid + returned > awarded:
            problems.append(
                f"grant {grant.reference}: paid {paid} and returned {returned} "
                f"are more than the {awarded} awarded"
            )
        if grant.status == "closed" and grant.closed_at is not None:
            late = db.session.scalar(
                select(func.count(LedgerTransaction.id)).where(
                    LedgerTransaction.grant_id == grant.id,
                    LedgerTransaction.created_at > grant.closed_at,
                )
            )
            if late:
                problems.append(f"grant {grant.reference} has {late} movement(s) after it closed")
    return [f"{fund.name}: {p}" for p in problems]


def verify_all() -> list[str]:
    problems = []
    for fund in db.session.scalars(select(Fund).order_by(Fund.id)):
        problems.extend(verify(fund))
    return problems


# --- the database refuses to change what is written ------------------------------------------

PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the ledger is append-only'; END; $$ LANGUAGE plpgsql"
)


def guard_statements(dialect: str) -> list[str]:
    """The SQL that makes the database itself refuse to change or delete a ledger row (run by
    migration 0008; the ORM refuses too, in ``models._append_only``)."""
    tables = ("ledger_transaction", "ledger_posting")
    if dialect == "postgresql":
        return [
            PG_FUNCTION,
            *(
                f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()"
                for t in tables
            ),
        ]
    return [
        f"CREATE TRIGGER {t}_append_only_{op} BEFORE {op.upper()} ON {t} "
        "BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END"
        for t in tables
        for op in ("update", "delete")
    ]
