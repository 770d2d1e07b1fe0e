"""Properties of the grants ledger over random sequences of operations through the steps, on a
real database: whatever people do, every transaction balances, no account but ``income`` goes
below zero, no grant has paid and returned more than it was awarded, a closed grant takes no
more money, and an operation the rules refuse raises and changes nothing.

Each hypothesis example sets up a fresh fund (the ``app`` fixture's database is shared by the
examples of one test) and runs a drawn list of operations, each by a drawn person, so refusals
(the requester approving, the grantee paying themselves, too much money...) are exercised as
much as the steps that go through.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from participate.accounts.models import Person
from participate.columns import utcnow
from participate.extensions import db
from participate.grants import books, rules, steps
from participate.grants.models import (
    Closure,
    Fund,
    Grant,
    LedgerAccount,
    LedgerTransaction,
    Payment,
    PaymentApproval,
)
from tests import factories as f

REFUSED = (steps.StepRefused, books.LedgerRefused)
TOTAL = 300_000  # £3,000 in the fund
ASKS = (5_000, 20_000, 60_000, 120_000, 250_000)  # what an application asks for (pence)
# None: everything left (so grants can be settled and closed); else a drawn amount.
AMOUNTS = st.one_of(
    st.none(), st.none(), st.sampled_from((1, 2_500, 10_000, 30_000, 60_000, 400_000))
)
ACTORS = ("officer", "fin1", "fin2", "grantee")

INDEX = st.one_of(st.just(0), st.integers(0, 7))  # 0: the newest grant or payment
ACTOR = st.sampled_from(ACTORS)
# Mostly the right person, sometimes someone the rules turn away.
GRANTEE = st.sampled_from(("grantee", "grantee", "grantee", "officer"))
APPROVER = st.sampled_from(("fin1", "fin2", "fin1", "fin2", "officer", "grantee"))
MANAGER = st.sampled_from(("officer", "officer", "officer", "fin1", "grantee"))


def _often(weight: int, strategy):
    return [strategy] * weight


# An award, and (usually) the grantee accepting it at once.
AWARD = st.tuples(
    st.just("award"),
    st.sampled_from(ASKS),
    st.sampled_from(("all", "all", "half", "more", "everything")),
    st.sampled_from((True, True, False)),
)
OPERATION = st.one_of(
    *_often(3, AWARD),
    *_often(3, st.tuples(st.just("accept"), INDEX, GRANTEE)),
    *_often(3, st.tuples(st.just("request"), INDEX, AMOUNTS, MANAGER)),
    *_often(3, st.tuples(st.just("approve"), INDEX, APPROVER)),
    *_often(3, st.tuples(st.just("mark_paid"), INDEX, APPROVER)),
    st.tuples(st.just("withdraw"), INDEX),
    *_often(2, st.tuples(st.just("return"), INDEX, AMOUNTS, ACTOR)),
    st.tuples(st.just("release"), INDEX),
    st.tuples(st.just("cancel"), INDEX, MANAGER),
    *_often(2, st.tuples(st.just("reverse"), st.integers(0, 30))),
    *_often(3, st.tuples(st.just("close"), INDEX)),
)


class World:
    """One example's fund, its people, and what they have made so far."""

    def __init__(self) -> None:
        # Start each example afresh: nothing of the last one left in the session or database.
        db.session.rollback()
        db.session.expunge_all()
        org = f.organisation()
        self.officer = f.person("Priya", password=None)
        self.fin1 = f.person("Tom", password=None)
        self.fin2 = f.person("Mei", password=None)
        f.member(self.officer, org, "council_officer")
        f.member(self.fin1, org, "finance_approver")
        f.member(self.fin2, org, "finance_approver")
        self.applicants = [f.person("Bev", password=None), f.person("Ifan", password=None)]
        self.fund: Fund = f.fund(
            TOTAL, organisation_=org, officer=self.officer, two_approvals_above=50_000
        )
        self.grants: list[Grant] = []
        self.payments: list[Payment] = []
        self.seen_closed: set[int] = set()

    def who(self, actor: str, grant: Grant):
        if actor == "grantee":
            return db.session.get(Person, grant.applicant_id)
        return getattr(self, actor)

    def grant(self, i: int) -> Grant | None:
        return self.grants[i % len(self.grants)] if self.grants else None

    def payment(self, i: int) -> Payment | None:
        return self.payments[i % len(self.payments)] if self.payments else None

    def transactions(self) -> list[LedgerTransaction]:
        return db.session.scalars(
            select(LedgerTransaction)
            .where(LedgerTransaction.fund_id == self.fund.id)
            .order_by(LedgerTransaction.id)
        ).all()

    def snapshot(self) -> tuple:
        """Everything an operation could change: the books, and every grant, payment and
        closure of this fund."""
        fund_id = self.fund.id
        stored = db.session.execute(
            select(LedgerAccount.code, LedgerAccount.balance)
            .where(LedgerAccount.fund_id == fund_id)
            .order_by(LedgerAccount.code)
        ).all()
        transactions = db.session.scalar(
            select(func.count(LedgerTransaction.id)).where(LedgerTransaction.fund_id == fund_id)
        )
        grants = db.session.execute(
            select(Grant.id, Grant.status, Grant.amount_awarded)
            .where(Grant.fund_id == fund_id)
            .order_by(Grant.id)
        ).all()
        payments = db.session.execute(
            select(
                Payment.id, Payment.status, Payment.transaction_id, func.count(PaymentApproval.id)
            )
            .join(Grant, Payment.grant_id == Grant.id)
            .join(PaymentApproval, PaymentApproval.payment_id == Payment.id, isouter=True)
            .where(Grant.fund_id == fund_id)
            .group_by(Payment.id)
            .order_by(Payment.id)
        ).all()
        closures = db.session.execute(
            select(Closure.grant_id, Closure.funder_signed_version, Closure.grantee_signed_version)
            .join(Grant, Closure.grant_id == Grant.id)
            .where(Grant.fund_id == fund_id)
            .order_by(Closure.grant_id)
        ).all()
        return (
            books.derived_balances(self.fund),
            [tuple(r) for r in stored],
            transactions,
            [tuple(r) for r in grants],
            [tuple(r) for r in payments],
            [tuple(r) for r in closures],
        )


def attempt(world: World, step, *args, **kwargs) -> bool:
    """Run one step; if the rules refuse it, it must raise and change nothing."""
    before = world.snapshot()
    try:
        step(*args, **kwargs)
    except REFUSED:
        assert world.snapshot() == before, f"a refused {step.__name__} changed something"
        event(f"refused {step.__name__}")
        return False
    event(f"did {step.__name__}")
    return True


def complete_closure(grant: Grant) -> None:
    """What the closing pages record before both sides sign (not steps: plain records)."""
    closure = grant.closure
    if closure is None or closure.letter is not None:
        return
    now = utcnow()
    closure.report_kind, closure.report_text, closure.report_at = "form", "All done.", now
    closure.reviewed_at, closure.review_note = now, "Read."
    closure.conversation_on, closure.conversation_notes = date(2026, 6, 1), "A good chat."
    closure.letter = {section: "Plain words." for section in rules.LETTER_SECTIONS}
    closure.letter_version, closure.letter_drafted_at = 1, now
    db.session.flush()


def run(world: World, op: tuple) -> None:
    kind, *args = op
    officer = world.officer
    if kind == "award":
        ask, how, accept = args
        grant = f.application(world.fund, world.applicants[len(world.grants) % 2], amount=ask)
        world.grants.insert(0, grant)  # index 0 is the newest
        amount = {
            "all": ask,
            "half": ask // 2,
            "more": ask + 1,
            "everything": books.fund_money(world.fund).available,
        }[how]
        if attempt(world, steps.award, grant, amount, by=officer, decided_by="panel") and accept:
            attempt(world, steps.accept, grant, by=world.who("grantee", grant))
        return
    if kind in ("approve", "mark_paid", "withdraw"):
        payment = world.payment(args[0])
        if payment is None:
            return
        if kind == "approve":
            attempt(world, steps.approve_payment, payment, by=world.who(args[1], payment.grant))
        elif kind == "mark_paid":
            attempt(
                world,
                steps.mark_paid,
                payment,
                by=world.who(args[1], payment.grant),
                paid_on=date(2026, 5, 1),
                reference="BACS 1",
            )
        else:
            attempt(
                world,
                steps.withdraw_payment,
                payment,
                by=db.session.get(Person, payment.requested_by_id),
            )
        return
    if kind == "reverse":  # a correction of one of the grants' movements
        txs = [tx for tx in world.transactions() if tx.grant_id is not None]
        if not txs:
            return
        attempt(world, books.reverse, txs[args[0] % len(txs)], memo="Correction", by=officer)
        return
    grant = world.grant(args[0])
    if grant is None:
        return
    if kind == "accept":
        attempt(world, steps.accept, grant, by=world.who(args[1], grant))
    elif kind == "request":
        amount, actor = args[1], args[2]
        if amount is None:  # everything still promised and not asked for
            amount = max(books.grant_money(grant).unpaid - books.pending_payments(grant), 1)
        before = len(db.session.scalars(select(Payment.id)).all())
        if attempt(world, steps.request_payment, grant, amount, by=world.who(actor, grant)):
            world.payments.insert(
                0,
                db.session.scalar(
                    select(Payment).where(Payment.grant_id == grant.id).order_by(Payment.id.desc())
                ),
            )
            assert len(db.session.scalars(select(Payment.id)).all()) == before + 1
    elif kind == "return":
        amount = args[1] if args[1] is not None else max(books.grant_money(grant).paid, 1)
        attempt(world, steps.record_return, grant, amount, by=world.who(args[2], grant))
    elif kind == "release":
        attempt(world, steps.release_unpaid, grant, by=officer, memo="Not needed")
    elif kind == "cancel":
        attempt(world, steps.cancel, grant, by=world.who(args[1], grant), reason="Folded")
    elif kind == "close":
        if grant.status == "active":
            attempt(world, steps.start_closure, grant, by=officer)
        if grant.status == "closing":
            complete_closure(grant)
            if attempt(world, steps.sign, grant, "funder", by=officer):
                attempt(world, steps.sign, grant, "grantee", by=world.who("grantee", grant))
        else:
            attempt(world, steps.start_closure, grant, by=officer)


def closed_grant_takes_no_money(world: World, grant: Grant) -> None:
    """Every way money could move for a closed grant is refused, and nothing changes."""
    officer, fin1 = world.officer, world.fin1
    tries = [
        (steps.request_payment, (grant, 1), {"by": officer}),
        (steps.record_return, (grant, 1), {"by": fin1}),
        (steps.cancel, (grant,), {"by": officer, "reason": "late"}),
        (steps.award, (grant, 1), {"by": officer, "decided_by": "panel"}),
        (books.give_back, (grant, 1), {"memo": "late", "by": officer}),
        (books.release, (grant, 1), {"memo": "late", "by": officer}),
        (books.award, (grant, 1), {"memo": "late", "by": officer}),
    ]
    tries += [
        (books.reverse, (tx,), {"memo": "late", "by": officer})
        for tx in world.transactions()
        if tx.grant_id == grant.id
    ]
    tries += [
        (steps.mark_paid, (p,), {"by": fin1, "paid_on": date(2026, 5, 2), "reference": "late"})
        for p in world.payments
        if p.grant_id == grant.id
    ]
    for step, args, kwargs in tries:
        before = world.snapshot()
        try:
            step(*args, **kwargs)
        except REFUSED:
            pass
        else:  # pragma: no cover - the property failing
            raise AssertionError(f"{step.__name__} moved money for a closed grant")
        assert world.snapshot() == before


def check_invariants(world: World, *, try_closed: bool = False) -> None:
    """After every step. Every way of moving a closed grant's money is tried when it has
    just closed and at the end (``try_closed``); in between, any operation the sequence
    aims at it must be refused and change nothing (``attempt``), and ``books.verify`` finds
    any movement dated after it closed."""
    fund = world.fund
    db.session.flush()
    db.session.expire(fund, ["grants"])  # grants applied since it was loaded
    assert books.verify(fund) == []
    balances = books.derived_balances(fund)
    below = {c: n for c, n in balances.items() if c != "income" and n < 0}
    assert not below, below
    assert sum(balances.values()) == 0
    for grant in world.grants:
        money = books.grant_money(grant)
        assert money.paid + money.returned <= (grant.amount_awarded or 0)
        assert money.awarded <= (grant.amount_awarded or 0)
        if grant.status in ("applied", "declined"):
            assert money == books.GrantMoney(0, 0, 0)
        if grant.status == "closed":
            assert money.unpaid == 0 and books.pending_payments(grant) == 0
            if try_closed or grant.id not in world.seen_closed:
                closed_grant_takes_no_money(world, grant)
                world.seen_closed.add(grant.id)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=st.lists(AWARD, min_size=1, max_size=3),
    operations=st.lists(OPERATION, min_size=8, max_size=25),
)
def test_any_sequence_of_steps_keeps_the_books_right(app, first, operations):
    world = World()
    check_invariants(world)
    for op in first + operations:
        run(world, op)
        check_invariants(world)
    check_invariants(world, try_closed=True)
    for status in sorted({grant.status for grant in world.grants}):
        event(f"a grant ended {status}")


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    paid=st.lists(st.sampled_from((1, 5_000, 40_000, 60_000)), min_size=0, max_size=3),
    back=st.integers(0, 100),
    reversals=st.lists(st.integers(0, 20), max_size=3),
)
def test_a_grant_that_closes_takes_no_more_money(app, paid, back, reversals):
    """The path to closed, with drawn tranches, a drawn share returned and drawn corrections
    on the way: the grant always closes once everything is settled, and then nothing moves."""
    world = World()
    officer, fin1, fin2 = world.officer, world.fin1, world.fin2
    award = 150_000
    run(world, ("award", award, "all", True))
    grant = world.grants[0]
    assert grant.status == "active"
    award_tx = {tx.id for tx in world.transactions() if tx.kind == "award"}
    for amount in paid:
        if amount > books.grant_money(grant).unpaid:
            continue
        payment = steps.request_payment(grant, amount, by=officer)
        world.payments.insert(0, payment)
        steps.approve_payment(payment, by=fin1)
        if payment.approvals_needed == 2:
            assert not attempt(
                world,
                steps.mark_paid,
                payment,
                by=fin1,
                paid_on=date(2026, 5, 1),
                reference="early",
            )
            steps.approve_payment(payment, by=fin2)
        steps.mark_paid(payment, by=fin1, paid_on=date(2026, 5, 1), reference="BACS")
        check_invariants(world)
    for i in reversals:
        txs = [tx for tx in world.transactions() if tx.grant_id == grant.id]
        attempt(world, books.reverse, txs[i % len(txs)], memo="Correction", by=officer)
        check_invariants(world)
    held = books.grant_money(grant).paid
    if held and back:
        steps.record_return(grant, max(held * back // 100, 1), by=fin1)
    steps.start_closure(grant, by=officer)
    complete_closure(grant)
    steps.release_unpaid(grant, by=officer, memo="Not needed")
    assert not attempt(world, steps.sign, grant, "grantee", by=officer)
    steps.sign(grant, "funder", by=officer)
    assert not attempt(world, steps.sign, grant, "funder", by=officer)  # once
    steps.sign(grant, "grantee", by=grant.applicant)
    assert grant.status == "closed"
    money = books.grant_money(grant)
    award_undone = any(
        tx.kind == "reversal" and tx.reverses_id in award_tx for tx in world.transactions()
    )
    assert money.unpaid == 0 and money.awarded == (0 if award_undone else award)
    check_invariants(world)
