"""The small grants on the home page: each thing to do shows to the person who can do it, not
to others, and goes once it is done."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from participate.clock import local_today
from participate.columns import utcnow
from participate.extensions import db
from participate.grants import home, steps
from participate.grants.models import Reallocation
from tests import factories as f

TITLE = "Saturday breakfast club"


@pytest.fixture
def world(app):
    org = f.organisation()
    officer, officer2, finance, finance2 = (
        f.person("Priya"),
        f.person("Ola"),
        f.person("Tom"),
        f.person("Ana"),
    )
    f.member(officer, org, "council_officer")
    f.member(officer2, org, "council_officer")
    f.member(finance, org, "finance_approver")
    f.member(finance2, org, "finance_approver")
    fund = f.fund(1_000_000, organisation_=org, officer=officer, reallocation_limit=20_000)
    panel = f.person("Gwen")
    f.member(panel, fund.space, "grant_panel_member")
    outsider = f.person("Olu")
    f.member(outsider, f.organisation("Another Council"), "council_officer")
    db.session.commit()
    return {
        "fund": fund,
        "officer": officer,
        "officer2": officer2,
        "finance": finance,
        "finance2": finance2,
        "panel": panel,
        "grantee": f.person("Jade"),
        "resident": f.person("Rhys"),
        "outsider": outsider,
    }


def home_page(client, person) -> str:
    f.as_person(client, person)
    response = client.get("/")
    assert response.status_code == 200
    return " ".join(f.page_text(response).split())


def shown_to(client, world, words: str) -> set[str]:
    """Who, of everyone in ``world``, has ``words`` on their home page."""
    return {name for name, p in world.items() if name != "fund" and words in home_page(client, p)}


def active(world, **fields):
    grant = f.application(
        world["fund"],
        world["grantee"],
        amount=100_000,
        title=TITLE,
        lines=[("Hall hire", 60_000), ("Food", 40_000)],
        **fields,
    )
    steps.award(grant, 100_000, by=world["officer"], decided_by="panel")
    steps.accept(grant, by=world["grantee"])
    return grant


def test_the_panel_is_asked_to_declare_then_to_give_a_view(client, world):
    grant = f.application(world["fund"], world["grantee"], title=TITLE)
    db.session.commit()
    declare = f"Say whether you have an interest in the application {TITLE}"
    view = f"Give your view on the application {TITLE}"
    assert shown_to(client, world, declare) == {"panel"}
    steps.declare(grant, world["panel"], has_interest=False)
    db.session.commit()
    assert shown_to(client, world, view) == {"panel"}
    assert declare not in home_page(client, world["panel"])
    steps.give_view(grant, world["panel"], choice="fund", note="Good idea")
    db.session.commit()
    page = home_page(client, world["panel"])
    assert view not in page and declare not in page


def test_a_panel_member_with_an_interest_is_not_asked_for_a_view(client, world):
    grant = f.application(world["fund"], world["grantee"], title=TITLE)
    steps.declare(grant, world["panel"], has_interest=True, interest="My sister runs it")
    db.session.commit()
    assert TITLE not in home_page(client, world["panel"])


def test_the_grantee_is_asked_to_accept_the_offer(client, world):
    grant = f.application(world["fund"], world["grantee"], title=TITLE)
    steps.award(grant, 100_000, by=world["officer"], decided_by="panel")
    db.session.commit()
    words = f"Accept the offer for {TITLE}"
    assert shown_to(client, world, words) == {"grantee"}
    f.as_person(client, world["grantee"])
    assert f"/funds/{grant.fund.slug}/grants/{grant.number}" in f.page_text(client.get("/"))
    steps.accept(grant, by=world["grantee"])
    db.session.commit()
    assert words not in home_page(client, world["grantee"])


def test_finance_approves_payments_it_did_not_ask_for_once(client, world):
    grant = active(world)
    payment = steps.request_payment(grant, 40_000, by=world["officer"])
    db.session.commit()
    approve = f"Approve a payment to {TITLE}"
    assert shown_to(client, world, approve) == {"finance", "finance2"}
    steps.approve_payment(payment, by=world["finance"])
    db.session.commit()
    mark = f"Mark the approved payment to {TITLE} as paid"
    assert approve not in home_page(client, world["finance2"])  # one approval was enough
    assert shown_to(client, world, mark) == {"officer", "officer2"}
    steps.mark_paid(payment, by=world["officer"], paid_on=date(2026, 5, 1), reference="BACS")
    db.session.commit()
    assert mark not in home_page(client, world["officer"])


def test_two_approvals_ask_the_second_approver_only(client, world):
    world["fund"].two_approvals_above = 10_000
    grant = active(world)
    payment = steps.request_payment(grant, 40_000, by=world["officer"])
    steps.approve_payment(payment, by=world["finance"])
    db.session.commit()
    assert shown_to(client, world, f"Approve a payment to {TITLE}") == {"finance2"}


def test_officers_decide_reallocations_they_did_not_ask_for(client, world):
    grant = active(world)
    hall, food = grant.lines
    db.session.add(
        Reallocation(
            grant_id=grant.id,
            from_line_id=hall.id,
            to_line_id=food.id,
            amount=5_000,
            reason="Cheaper hall",
            requested_by_id=world["officer"].id,
        )
    )
    db.session.commit()
    words = f"Say yes or no to moving money between the budget lines of {TITLE}"
    assert shown_to(client, world, words) == {"officer2"}
    f.as_person(client, world["officer2"])
    assert f"/funds/{grant.fund.slug}/grants/{grant.number}/updates" in f.page_text(client.get("/"))


def test_officers_are_reminded_to_start_closing(client, world):
    today = local_today()
    grant = active(world, planned_end=today + timedelta(days=40))
    later = f.application(
        world["fund"],
        world["grantee"],
        title="Summer trips",
        planned_end=today + timedelta(days=400),
    )
    steps.award(later, 10_000, by=world["officer"], decided_by="panel")
    steps.accept(later, by=world["grantee"])
    db.session.commit()
    assert grant.ends_on == today + timedelta(days=40)
    page = home_page(client, world["officer"])
    assert f"Start closing {TITLE}: it ends on" in page
    assert "Start closing Summer trips" not in page
    assert shown_to(client, world, f"Start closing {TITLE}") == {"officer", "officer2"}
    steps.start_closure(grant, by=world["officer"])
    db.session.commit()
    assert f"Start closing {TITLE}" not in home_page(client, world["officer"])


def test_the_grantee_sends_the_report_then_both_sides_sign(client, world):
    grant = active(world)
    closure = steps.start_closure(grant, by=world["officer"])
    db.session.commit()
    report = f"Send your final report for {TITLE}"
    assert shown_to(client, world, report) == {"grantee"}
    closure.report_kind, closure.report_text, closure.report_at = "form", "It went well", utcnow()
    db.session.commit()
    assert report not in home_page(client, world["grantee"])
    closure.reviewed_at, closure.conversation_on = utcnow(), local_today()
    closure.letter, closure.letter_version = {"legal": "Thank you."}, 1
    db.session.commit()
    grantee_sign = f"Sign the closure letter for {TITLE}"
    funder_sign = f"Sign the closure letter for {TITLE} on behalf of the fund"
    # Money still promised and unpaid: not ready for anyone to sign.
    assert grantee_sign not in home_page(client, world["grantee"])
    assert funder_sign not in home_page(client, world["officer"])
    steps.release_unpaid(grant, by=world["officer"], memo="Not needed")
    db.session.commit()
    assert grantee_sign in home_page(client, world["grantee"])
    assert funder_sign not in home_page(client, world["grantee"])
    assert shown_to(client, world, funder_sign) == {"officer", "officer2"}
    steps.sign(grant, "grantee", by=world["grantee"])
    db.session.commit()
    assert grantee_sign not in home_page(client, world["grantee"])
    assert funder_sign in home_page(client, world["officer"])
    steps.sign(grant, "funder", by=world["officer"])
    db.session.commit()
    assert grant.status == "closed"
    assert funder_sign not in home_page(client, world["officer2"])


def test_a_few_queries_however_many_grants(app, world):
    """The provider's queries do not grow with the number of grants."""

    def queries_for(person) -> int:
        count = 0

        def counter(*_args):
            nonlocal count
            count += 1

        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            with app.test_request_context("/"):
                tasks = home._home_tasks(person)
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        return count, len(tasks)

    def grow(n):
        for _ in range(n):
            grant = active(world)
            steps.request_payment(grant, 1_000, by=world["officer"])
            hall, food = grant.lines
            db.session.add(
                Reallocation(
                    grant_id=grant.id,
                    from_line_id=hall.id,
                    to_line_id=food.id,
                    amount=500,
                    reason="Paint",
                    requested_by_id=world["grantee"].id,
                )
            )
            f.application(world["fund"], world["grantee"], title="Waiting")
            closing = active(world)
            closure = steps.start_closure(closing, by=world["officer"])
            closure.letter, closure.letter_version = {"legal": "x"}, 1
        db.session.commit()

    grow(1)
    few = {name: queries_for(world[name]) for name in ("panel", "grantee", "finance", "officer")}
    grow(4)
    many = {name: queries_for(world[name]) for name in ("panel", "grantee", "finance", "officer")}
    for name in few:
        assert many[name][1] > few[name][1], name  # more things to do...
        assert many[name][0] == few[name][0], name  # ...for the same number of queries
        assert few[name][0] <= 12, name
