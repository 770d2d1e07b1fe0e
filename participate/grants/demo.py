"""The grants demo: **Porthaven Community Chest**, a £60,000 fund of Porthaven Council decided
by a panel with community members, with grants in every status.

Everything that moves a grant along goes through ``steps`` (so the demo, the pages and the
property tests cannot disagree); only the records whose pages other parts own (spend updates,
contact notes, a reallocation) and the closure's report, review, conversation and letter are
written directly. Dates are fixed relative to ``today`` and the order never changes, so the
demo is the same every run (the ledger's own timestamps are the moment it is loaded).

The grants, in the order they were made:

1. Mill Field community orchard: **closed**, both sides signed.
2. Over-60s walking football: **cancelled** (the group folded), part of the money returned.
3. Harbour ward history walk: **closing**: report in, letter drafted, a comment and an issue
   still open, unspent money returned and what was never paid released.
4. Harbour Lights Community Kitchen: **active**, two tranches paid (the second needed two
   approvals), spend updates, a contact note and an approved reallocation.
5. Mending drop-in: **active**, a grant to a person who did not choose to be named in public.
6. Northside Tenants' Group through Northside Community Hub: **active**, ending soon, so its
   closure reminders are due.
7. Northside Men's Shed: **active**, a payment waiting for Tom's approval.
8. From residents' votes in Porthaven Small Grants 2025: **active**, one per winning project
   with an author.
9. Harbour Fitness bootcamp: **declined**, with a kind, clear reason.
10. Cliff Road play street (Rhys): **awarded**, the offer waiting for him to accept.
11. Harbour Ward Young Sailors: **applied**, Gwen declared an interest, Jade gave a view.
12. Bulbs on the Cliff Road verges: **applied**, a £350 micro-grant just in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from participate.accounts import auth
from participate.accounts.models import Membership, Organisation, Person, Space
from participate.budgeting.models import BudgetProject, GrantRound, Pot, Result
from participate.extensions import db
from participate.grants import rules, steps
from participate.grants.models import (
    ContactNote,
    Fund,
    Grant,
    LetterComment,
    OutstandingIssue,
    Payment,
    Reallocation,
    SpendUpdate,
)

FUND_NAME = "Porthaven Community Chest"
ROUND_2025 = "porthaven-small-grants-2025"


def _pounds(n: int) -> int:
    return n * 100


def _at(day: date, hour: int = 11) -> datetime:
    return datetime.combine(day, time(hour), UTC)


# The people behind the grants who are not demo sign-ins: they applied on paper or by phone,
# so they have no email. With Mei, the grants demo adds this many people to the place.
NEIGHBOURS = ("Bev", "Colin", "Ifan", "Marcia", "Lowri", "Ray", "Darren", "Nia")
PEOPLE_ADDED = len(NEIGHBOURS) + 1


def _neighbour(name: str, pronouns: str | None = None) -> Person:
    """Someone who applied on paper or by phone (no email, so no sign-in in the demo)."""
    if name not in NEIGHBOURS:
        raise KeyError(name)
    person = Person(chosen_name=name, pronouns=pronouns, notification_choice="none")
    db.session.add(person)
    return person


def _dated(
    grant: Grant, applied: date, decided: date | None = None, accepted: date | None = None
) -> None:
    """Put the grant's own dates where they would have been (steps stamp them with now)."""
    grant.created_at = grant.updated_at = _at(applied, 10)
    if decided is not None:
        grant.decided_at = grant.offered_at = _at(decided, 16)
        grant.updated_at = grant.decided_at
    if accepted is not None:
        grant.accepted_at = grant.updated_at = _at(accepted, 12)


def _award(
    grant: Grant,
    amount: int,
    *,
    by: Person,
    conditions: str,
    ends_on: date,
    note: str | None = None,
    decided_by: str = "panel",
) -> Grant:
    return steps.award(
        grant,
        amount,
        by=by,
        decided_by=decided_by,
        note=note,
        conditions=conditions,
        ends_on=ends_on,
    )


def _pay(
    grant: Grant,
    amount: int,
    *,
    asked_by: Person,
    approvers: list[Person],
    paid_by: Person,
    asked_on: date,
    paid_on: date,
    reference: str,
    note: str | None = None,
) -> Payment:
    payment = steps.request_payment(grant, amount, by=asked_by, note=note)
    payment.requested_at = _at(asked_on, 10)
    for i, approver in enumerate(approvers):
        steps.approve_payment(payment, by=approver)
        payment.approvals[-1].at = _at(asked_on + timedelta(days=1 + i), 14)
    return steps.mark_paid(payment, by=paid_by, paid_on=paid_on, reference=reference)


CONDITIONS = (
    "Spend the money on what you applied for. Tell us in a line or two how it is going "
    "every few months, and talk to us early if plans change. Any money you do not spend "
    "comes back to the fund."
)


def load(council: Organisation, people: dict[str, Person], today: date) -> None:
    """``people``: the demo's people by key (officer, finance, panel, community, resident,
    facilitator, admin, civic, business, dot, kayleigh, bernie, helen)."""
    from participate.demo import DEMO_PASSWORD, DOMAIN  # loaded by now: it calls us

    priya, tom = people["officer"], people["finance"]
    gwen, jade, dot, helen = people["panel"], people["community"], people["dot"], people["helen"]
    rhys, sam, kayleigh = people["resident"], people["facilitator"], people["kayleigh"]

    # Mei: a second finance approver, so a payment above £5,000 can get its two approvals.
    # She signs in as mei@porthaven.example with the demo password (she is not in
    # participate.demo.ACCOUNTS, so `flask demo` does not list her).
    mei = Person(email=f"mei@{DOMAIN}", chosen_name="Mei", pronouns="she/her")
    auth.set_password(mei, DEMO_PASSWORD)
    db.session.add(mei)
    db.session.add(Membership(person=mei, organisation=council, role="finance_approver"))
    db.session.flush()

    # The fund ends about 18 months from now; grants close in the six months before that
    # (the closure window) and reminders start three months before a grant's own end, so a
    # grant ending soon (the tenants' group) already shows its reminders.
    fund = steps.create_fund(
        council,
        FUND_NAME,
        ends_on=rules.add_months(today, 18),
        by=priya,
        total=_pounds(60_000),
        visibility="public",
        summary="Grants from £100 to £15,000 for groups and people doing good things in "
        "Porthaven, Northside and Harbour ward. A panel with people who live here decides. "
        "Up to £500 is a micro-grant: a short form and a quick answer.",
        status="open",
        opens_on=today - timedelta(days=420),
        closure_window_months=6,
        reminder_months=3,
        micro_limit=_pounds(500),
        max_grant=_pounds(15_000),
        two_approvals_above=_pounds(5_000),
        reallocation_limit=_pounds(300),
        decides_by="panel",
    )
    fund.space.description = fund.summary
    # The panel: Gwen, and community members Jade and Dot, with Helen. Community members have
    # the same say as anyone on the panel: one view each, counted the same.
    for member in (gwen, jade, dot, helen):
        db.session.add(Membership(person=member, space=fund.space, role="grant_panel_member"))
    db.session.flush()

    _closed(fund, priya, tom, today)
    _cancelled(fund, priya, tom, today)
    _closing(fund, priya, tom, today)
    _kitchen(fund, priya, tom, mei, today)
    _mending(fund, priya, tom, gwen, today)
    _tenants(fund, priya, tom, sam, dot, today)
    _mens_shed(fund, priya, today)
    _from_residents(fund, priya, tom, today)
    _declined(fund, priya, gwen, jade, today)
    _offer(fund, priya, rhys, dot, jade, today)
    _sailors(fund, gwen, jade, dot, today)
    _bulbs(fund, kayleigh, today)
    db.session.flush()


# --- the grants, oldest first ----------------------------------------------------------------


def _closure_letter(what: str, owner: str) -> dict[str, str]:
    return {
        "legal": f"This letter closes the grant for {what}. Once both sides sign, neither "
        "side owes the other anything more under the grant agreement.",
        "reporting": "The final report has been received and read. Nothing more needs "
        "to be reported to the fund.",
        "communications": "You may say that the Porthaven Community Chest helped pay for "
        "this work. Please let us know before you quote anyone from the council.",
        "data": "We keep the grant record, the report and this letter for six years, then "
        "delete them. Personal details of people who took part were never sent to us.",
        "ip": f"Anything made with the grant belongs to {owner}. You agree the council may "
        "share photos and words from your report on its own pages, with credit.",
    }


def _closed(fund: Fund, priya: Person, tom: Person, today: date) -> None:
    bev = _neighbour("Bev", "she/her")
    db.session.flush()
    grant = steps.apply(
        fund,
        bev,
        title="Mill Field community orchard",
        what="Twenty fruit trees, stakes and guards, and two planting days with the primary "
        "school, on the rough ground behind Mill Field.",
        who_for="Anyone who walks through Mill Field, and the children who planted the trees",
        hope="That in a few years there is free fruit, and people who planted it together.",
        where_text="Mill Field, Northside ward",
        amount_requested=_pounds(2_000),
        planned_start=today - timedelta(days=380),
        planned_end=today - timedelta(days=120),
        after_grant="The Orchard Group prunes the trees twice a year; the school adopts a row.",
        recipient_kind="organisation",
        recipient_name="Mill Field Orchard Group",
        lines=[("Trees, stakes and guards", _pounds(1_500)), ("Planting days", _pounds(500))],
    )
    _award(
        grant,
        _pounds(2_000),
        by=priya,
        conditions=CONDITIONS,
        ends_on=today - timedelta(days=120),
        note="The panel agreed.",
    )
    steps.accept(grant, by=bev)
    _dated(
        grant, today - timedelta(days=400), today - timedelta(days=385), today - timedelta(days=380)
    )
    _pay(
        grant,
        _pounds(2_000),
        asked_by=priya,
        approvers=[tom],
        paid_by=tom,
        asked_on=today - timedelta(days=378),
        paid_on=today - timedelta(days=374),
        reference="BACS PCC-0101",
        note="The whole grant in one payment.",
    )
    closure = steps.start_closure(grant, by=priya)
    closure.started_at = _at(today - timedelta(days=100))
    closure.report_kind = "form"
    closure.report_text = (
        "What did you do with the grant?\n"
        "We planted 20 trees (apples, pears, plums and a quince) with 58 children from "
        "Northside Primary over two Saturdays.\n\n"
        "What changed?\n"
        "People stop and look at the trees. Three neighbours now water them in summer.\n\n"
        "What would you do differently?\n"
        "Order the stakes earlier: the first batch came late."
    )
    closure.report_at = _at(today - timedelta(days=90))
    closure.report_by_id = bev.id
    closure.review_note = "A good report. All the money was spent as planned."
    closure.reviewed_at, closure.reviewed_by_id = _at(today - timedelta(days=85)), priya.id
    closure.conversation_on = today - timedelta(days=80)
    closure.conversation_notes = (
        "Met Bev at the orchard. Two trees died in the dry spell and the group replaced them "
        "from their own funds. They'd like to apply for a bench next year."
    )
    closure.conversation_by_id = priya.id
    closure.letter = _closure_letter(
        "the Mill Field community orchard", "the Mill Field Orchard Group"
    )
    closure.letter_version = 1
    closure.letter_drafted_at = _at(today - timedelta(days=75))
    db.session.flush()
    steps.sign(grant, "funder", by=priya)
    steps.sign(grant, "grantee", by=bev)


def _cancelled(fund: Fund, priya: Person, tom: Person, today: date) -> None:
    colin = _neighbour("Colin", "he/him")
    db.session.flush()
    grant = steps.apply(
        fund,
        colin,
        title="Walking football for the over-60s",
        what="Pitch hire at the leisure centre on Thursday mornings, balls and bibs, and a "
        "cup of tea after.",
        who_for="People over 60 in Porthaven who want to keep moving and meet people",
        where_text="Porthaven Leisure Centre",
        amount_requested=_pounds(2_400),
        planned_start=today - timedelta(days=330),
        planned_end=today + timedelta(days=30),
        recipient_kind="organisation",
        recipient_name="Porthaven Over-60s Walking Football",
        lines=[("Pitch hire", _pounds(1_900)), ("Balls, bibs and first aid kit", _pounds(500))],
    )
    _award(
        grant, _pounds(2_400), by=priya, conditions=CONDITIONS, ends_on=today + timedelta(days=30)
    )
    steps.accept(grant, by=colin)
    _dated(
        grant, today - timedelta(days=360), today - timedelta(days=340), today - timedelta(days=335)
    )
    _pay(
        grant,
        _pounds(1_200),
        asked_by=priya,
        approvers=[tom],
        paid_by=tom,
        asked_on=today - timedelta(days=333),
        paid_on=today - timedelta(days=330),
        reference="BACS PCC-0107",
        note="First half, for the autumn and winter.",
    )
    steps.cancel(
        grant,
        by=priya,
        reason="The group stopped meeting in the spring when both organisers moved away, "
        "and no one could take it on. We agreed together to end the grant; they have sent "
        "back what they had not spent.",
    )
    steps.record_return(
        grant,
        _pounds(800),
        by=tom,
        occurred_on=today - timedelta(days=40),
        reference="Cheque 004512",
        note="Pitch hire not used after March, sent back by the group.",
    )


def _closing(fund: Fund, priya: Person, tom: Person, today: date) -> None:
    ifan = _neighbour("Ifan", "he/him")
    db.session.flush()
    grant = steps.apply(
        fund,
        ifan,
        title="Harbour ward history walk and booklet",
        what="A guided walk round the old harbour with ten stops, and a free booklet with "
        "old photos and what people who worked there remember.",
        who_for="Anyone in Porthaven, and visitors; large-print copies for the library",
        hope="That younger people know what the harbour was, from the people who were there.",
        where_text="Harbour ward",
        amount_requested=_pounds(3_000),
        planned_start=today - timedelta(days=300),
        planned_end=today - timedelta(days=20),
        recipient_kind="organisation",
        recipient_name="Porthaven Local History Society",
        lines=[
            ("Printing the booklet", _pounds(1_800)),
            ("Recording interviews", _pounds(700)),
            ("Walk days and signs", _pounds(500)),
        ],
    )
    _award(
        grant, _pounds(3_000), by=priya, conditions=CONDITIONS, ends_on=today - timedelta(days=20)
    )
    steps.accept(grant, by=ifan)
    _dated(
        grant, today - timedelta(days=320), today - timedelta(days=305), today - timedelta(days=300)
    )
    _pay(
        grant,
        _pounds(2_800),
        asked_by=priya,
        approvers=[tom],
        paid_by=tom,
        asked_on=today - timedelta(days=298),
        paid_on=today - timedelta(days=295),
        reference="BACS PCC-0109",
    )
    closure = steps.start_closure(grant, by=priya)
    closure.started_at = _at(today - timedelta(days=18))
    # The printing came in under budget: £150 back, and the last £200 never needed.
    steps.record_return(
        grant,
        _pounds(150),
        by=tom,
        occurred_on=today - timedelta(days=12),
        reference="BACS in 77310",
        note="Printing cost less than quoted.",
    )
    steps.release_unpaid(grant, by=priya, memo="The last £200 was not needed.")
    closure.report_kind = "form"
    closure.report_text = (
        "What did you do with the grant?\n"
        "We recorded eleven people who worked on the harbour, printed 1,500 booklets "
        "(100 in large print) and led six walks.\n\n"
        "Who came?\n"
        "About 240 people came on the walks, a third of them from Harbour ward.\n\n"
        "What changed?\n"
        "The primary school now uses the booklet, and two of the people we recorded lead "
        "walks themselves.\n\n"
        "What would you do differently?\n"
        "Get permission for the archive photos before the design, not after."
    )
    closure.report_at = _at(today - timedelta(days=14))
    closure.report_by_id = ifan.id
    closure.review_note = "Thorough and honest. The money was spent as agreed, with £150 back."
    closure.reviewed_at, closure.reviewed_by_id = _at(today - timedelta(days=10)), priya.id
    closure.conversation_on = today - timedelta(days=8)
    closure.conversation_notes = (
        "Phone call with Ifan. They want to keep the booklet going as a reprint at cost. "
        "The photos from the Harbour archive are the only loose end."
    )
    closure.conversation_by_id = priya.id
    closure.letter = _closure_letter(
        "the Harbour ward history walk and booklet", "the Porthaven Local History Society"
    )
    closure.letter_version = 1
    closure.letter_drafted_at = _at(today - timedelta(days=5))
    db.session.add_all(
        [
            LetterComment(
                grant_id=grant.id,
                section="ip",
                body="The archive photos aren't ours to give: the Harbour Trust lent them for "
                "the booklet only.",
                suggested_text="The words and our own photos belong to the Porthaven Local History "
                "Society. The archive photos belong to the Harbour Trust and are used with their "
                "permission.",
                by_id=ifan.id,
                at=_at(today - timedelta(days=3), 19),
            ),
            OutstandingIssue(
                grant_id=grant.id,
                text="A note from the Harbour Trust saying the council may show the archive photos "
                "on its pages, or we leave them out.",
                raised_by_id=priya.id,
                raised_at=_at(today - timedelta(days=5), 15),
            ),
        ]
    )


def _kitchen(fund: Fund, priya: Person, tom: Person, mei: Person, today: date) -> None:
    marcia = _neighbour("Marcia", "she/her")
    db.session.flush()
    grant = steps.apply(
        fund,
        marcia,
        title="Cook and eat together at Harbour Lights",
        what="Twice-weekly cooking sessions and a shared meal for families, with a sessional "
        "cook, ingredients and some kit for the church hall kitchen.",
        who_for="Families in Harbour ward who want to cook and eat with others",
        hope="That people leave with a meal, a recipe and someone new to talk to.",
        where_text="St Mary's church hall, Harbour ward",
        amount_requested=_pounds(12_000),
        planned_start=today - timedelta(days=150),
        planned_end=today + timedelta(days=240),
        after_grant="The hall is applying to the Lottery to keep the sessions going.",
        recipient_kind="organisation",
        recipient_name="Harbour Lights Community Kitchen",
        lines=[
            ("Ingredients", _pounds(4_800)),
            ("Sessional cook", _pounds(5_200)),
            ("Kitchen kit", _pounds(1_400)),
            ("Childcare and bus fares", _pounds(600)),
        ],
    )
    _award(
        grant,
        _pounds(12_000),
        by=priya,
        conditions=CONDITIONS,
        ends_on=today + timedelta(days=240),
        note="The panel agreed, and asked for an update after the first three months.",
    )
    steps.accept(grant, by=marcia)
    _dated(
        grant, today - timedelta(days=190), today - timedelta(days=165), today - timedelta(days=160)
    )
    _pay(
        grant,
        _pounds(4_000),
        asked_by=priya,
        approvers=[tom],
        paid_by=tom,
        asked_on=today - timedelta(days=158),
        paid_on=today - timedelta(days=154),
        reference="BACS PCC-0131",
        note="First tranche: kit and the first three months.",
    )
    # Above £5,000: Tom and Mei both approved it.
    _pay(
        grant,
        _pounds(6_000),
        asked_by=priya,
        approvers=[tom, mei],
        paid_by=mei,
        asked_on=today - timedelta(days=62),
        paid_on=today - timedelta(days=57),
        reference="BACS PCC-0158",
        note="Second tranche, after the three-month update.",
    )
    db.session.add_all(
        [
            SpendUpdate(
                grant_id=grant.id,
                amount=_pounds(2_150),
                by_id=marcia.id,
                at=_at(today - timedelta(days=100), 20),
                note="Kit bought (a big oven tray set and a second fridge) and the first "
                "eight sessions run. Between 14 and 22 people each time.",
            ),
            SpendUpdate(
                grant_id=grant.id,
                amount=_pounds(3_400),
                by_id=marcia.id,
                at=_at(today - timedelta(days=25), 21),
                note="Cook's hours and ingredients for the autumn. We've started a Friday "
                "teatime session as well.",
            ),
            ContactNote(
                grant_id=grant.id,
                on=today - timedelta(days=70),
                how="visit",
                by_id=priya.id,
                at=_at(today - timedelta(days=70), 17),
                note="Visited a Tuesday session. Warm and busy; the childcare corner is "
                "well used. Marcia asked about moving some money to bus fares.",
            ),
        ]
    )
    lines = {line.label: line for line in grant.lines}
    kit, fares = lines["Kitchen kit"], lines["Childcare and bus fares"]
    moved = _pounds(250)
    db.session.add(
        Reallocation(
            grant_id=grant.id,
            from_line_id=kit.id,
            to_line_id=fares.id,
            amount=moved,
            reason="The kit cost less than we thought, and more families from the far end of "
            "Harbour ward come if we pay the bus.",
            status="approved",
            requested_by_id=marcia.id,
            requested_at=_at(today - timedelta(days=68), 9),
            decided_by_id=priya.id,
            decided_at=_at(today - timedelta(days=67), 15),
            decision_note="Yes: well within what we can agree straight away.",
        )
    )
    kit.amount -= moved
    fares.amount += moved


def _mending(fund: Fund, priya: Person, tom: Person, gwen: Person, today: date) -> None:
    # A grant to a person, who did not choose to be named in public: the public pages say
    # "a person living in the area" (rules.public_recipient).
    lowri = _neighbour("Lowri", "she/her")
    db.session.flush()
    grant = steps.apply(
        fund,
        lowri,
        title="Mending drop-in at the library",
        what="A free monthly drop-in where I help people mend and alter clothes, with a "
        "second sewing machine and thread, zips and patches.",
        who_for="Anyone with clothes to mend",
        where_text="Porthaven Library, Harbour ward",
        amount_requested=_pounds(400),
        planned_start=today - timedelta(days=90),
        planned_end=today + timedelta(days=270),
        recipient_kind="individual",
        recipient_name="Lowri Pritchard",
        name_public=False,
    )
    # A micro-grant: one panel member's view is enough.
    steps.declare(grant, gwen, has_interest=False)
    steps.give_view(grant, gwen, choice="fund", note="Lovely idea, and the library is keen.")
    _award(
        grant,
        _pounds(400),
        by=priya,
        conditions=CONDITIONS,
        ends_on=today + timedelta(days=270),
        note="A micro-grant: Gwen said yes.",
    )
    steps.accept(grant, by=lowri)
    _dated(
        grant, today - timedelta(days=110), today - timedelta(days=104), today - timedelta(days=100)
    )
    _pay(
        grant,
        _pounds(400),
        asked_by=priya,
        approvers=[tom],
        paid_by=tom,
        asked_on=today - timedelta(days=99),
        paid_on=today - timedelta(days=96),
        reference="BACS PCC-0149",
    )


def _tenants(fund: Fund, priya: Person, tom: Person, sam: Person, dot: Person, today: date) -> None:
    grant = steps.apply(
        fund,
        sam,
        title="Winter warm packs and a damp clinic",
        what="Warm packs (a blanket, a hot water bottle, draught excluder) for 60 flats, and "
        "three Saturday clinics where a surveyor helps tenants write to the landlord about "
        "damp and mould.",
        who_for="Tenants on the Northside estate",
        hope="That the landlord fixes the worst flats, and tenants know they are not alone.",
        where_text="Northside estate, Northside ward",
        amount_requested=_pounds(1_800),
        planned_start=today - timedelta(days=120),
        planned_end=today + timedelta(days=45),
        recipient_kind="hosted",
        recipient_name="Northside Tenants' Group",
        host_name="Northside Community Hub",
        lines=[("Warm packs", _pounds(1_200)), ("Surveyor for three clinics", _pounds(600))],
    )
    # Dot is a tenant on the estate and in the group: she declared it and stepped out.
    steps.declare(
        grant, dot, has_interest=True, interest="I live on the estate and go to the tenants' group."
    )
    _award(
        grant,
        _pounds(1_800),
        by=priya,
        conditions=CONDITIONS,
        ends_on=today + timedelta(days=45),
        note="The Hub holds the money for the group, which has no bank account.",
    )
    steps.accept(grant, by=sam)
    _dated(
        grant, today - timedelta(days=140), today - timedelta(days=128), today - timedelta(days=125)
    )
    _pay(
        grant,
        _pounds(1_800),
        asked_by=priya,
        approvers=[tom],
        paid_by=tom,
        asked_on=today - timedelta(days=124),
        paid_on=today - timedelta(days=120),
        reference="BACS PCC-0141",
        note="Paid to Northside Community Hub for the group.",
    )
    db.session.add(
        SpendUpdate(
            grant_id=grant.id,
            amount=_pounds(1_350),
            by_id=sam.id,
            at=_at(today - timedelta(days=30), 18),
            note="52 warm packs handed out; two clinics done, 19 letters to the landlord sent.",
        )
    )


def _mens_shed(fund: Fund, priya: Person, today: date) -> None:
    ray = _neighbour("Ray", "he/him")
    db.session.flush()
    grant = steps.apply(
        fund,
        ray,
        title="Tools for Northside Men's Shed",
        what="A bench saw, hand tools and dust masks, so the Shed can take on repairs for "
        "neighbours and make planters for the estate.",
        who_for="Men (and anyone else) who want to make things and have a natter",
        where_text="The old garage block, Northside ward",
        amount_requested=_pounds(2_500),
        planned_start=today - timedelta(days=20),
        planned_end=today + timedelta(days=300),
        recipient_kind="organisation",
        recipient_name="Northside Men's Shed",
        lines=[
            ("Bench saw and guards", _pounds(1_400)),
            ("Hand tools", _pounds(800)),
            ("Safety kit", _pounds(300)),
        ],
    )
    _award(
        grant, _pounds(2_500), by=priya, conditions=CONDITIONS, ends_on=today + timedelta(days=300)
    )
    steps.accept(grant, by=ray)
    _dated(
        grant, today - timedelta(days=45), today - timedelta(days=25), today - timedelta(days=22)
    )
    # Priya asked for the first tranche; it waits for Tom (she cannot approve her own).
    payment = steps.request_payment(
        grant, _pounds(1_500), by=priya, note="The saw and safety kit first."
    )
    payment.requested_at = _at(today - timedelta(days=2), 9)


def _round_winners() -> list[BudgetProject]:
    """The winning projects of the published count of Porthaven Small Grants 2025."""
    rnd = db.session.scalar(
        select(GrantRound)
        .join(Space, GrantRound.space_id == Space.id)
        .where(Space.slug == ROUND_2025)
    )
    if rnd is None:
        return []
    winners = []
    for pot in db.session.scalars(select(Pot).where(Pot.round_id == rnd.id).order_by(Pot.id)):
        result = db.session.scalars(
            select(Result)
            .where(Result.pot_id == pot.id, Result.published.is_(True))
            .order_by(Result.id.desc())
        ).first()
        if result is None:
            continue
        by_ref = {
            p.ref: p
            for p in db.session.scalars(select(BudgetProject).where(BudgetProject.pot_id == pot.id))
        }
        winners.extend(by_ref[ref] for ref in result.outcome["selected"] if ref in by_ref)
    return winners


def _from_residents(fund: Fund, priya: Person, tom: Person, today: date) -> None:
    """An award for each project residents voted for that has an author to hold it (the
    others were paid through the council's own small-grants budget)."""
    for project in _round_winners():
        if project.author_id is None:
            continue
        author = db.session.get(Person, project.author_id)
        grant = steps.apply(
            fund,
            author,
            title=project.title,
            what=project.what
            or f"{project.title}: the project residents voted for in Porthaven Small Grants 2025.",
            who_for=project.who_for,
            hope=project.hope,
            where_text=project.where_text or "Porthaven",
            amount_requested=_pounds(project.cost),
            planned_end=today + timedelta(days=200),
            # The people behind the project, with a local organisation holding the money.
            recipient_kind="hosted",
            # (never the author's own name: the group's is shown in public)
            recipient_name=project.group_name or f"The {project.title} group",
            host_name="Northside Community Hub",
            project_id=project.id,
        )
        _award(
            grant,
            _pounds(project.cost),
            by=priya,
            decided_by="residents",
            conditions=CONDITIONS,
            ends_on=today + timedelta(days=200),
            note="Chosen by residents in Porthaven Small Grants 2025.",
        )
        steps.accept(grant, by=author)
        _dated(
            grant,
            today - timedelta(days=190),
            today - timedelta(days=188),
            today - timedelta(days=180),
        )


def _declined(fund: Fund, priya: Person, gwen: Person, jade: Person, today: date) -> None:
    darren = _neighbour("Darren", "he/him")
    db.session.flush()
    grant = steps.apply(
        fund,
        darren,
        title="Bootcamp on the beach",
        what="Six months of outdoor fitness classes on the beach, with kit and adverts.",
        who_for="Anyone who wants to get fit",
        where_text="Porthaven beach",
        amount_requested=_pounds(3_000),
        recipient_kind="organisation",
        recipient_name="Harbour Fitness",
        lines=[
            ("Instructor time", _pounds(2_200)),
            ("Kit", _pounds(400)),
            ("Adverts", _pounds(400)),
        ],
    )
    for member in (gwen, jade):
        steps.declare(grant, member, has_interest=False)
    steps.give_view(
        grant,
        gwen,
        choice="not_fund",
        note="A business, charging for classes: not what this fund is for.",
    )
    steps.give_view(
        grant,
        jade,
        choice="not_fund",
        note="Good idea, but the classes cost £6 each. Free sessions would be different.",
    )
    steps.decline(
        grant,
        by=priya,
        note="Thank you for applying, Darren: the panel liked getting people out on the "
        "beach. This fund cannot pay for classes people pay for, because the money would "
        "help a business earn. If you run free sessions, for example with the Hub, we "
        "would be glad to see a new application. The council's small business team can "
        "talk to you about start-up help.",
    )
    _dated(grant, today - timedelta(days=60))
    grant.decided_at = grant.updated_at = _at(today - timedelta(days=40), 16)


def _offer(fund: Fund, priya: Person, rhys: Person, dot: Person, jade: Person, today: date) -> None:
    grant = steps.apply(
        fund,
        rhys,
        title="Cliff Road play street",
        what="Close Cliff Road to cars one Sunday a month through the summer so children can "
        "play out: road closure signs, stewards' vests, chalk and a first aid kit.",
        who_for="Children and families on Cliff Road and the streets round it",
        hope="That neighbours get to know each other and children have somewhere to play.",
        where_text="Cliff Road, Northside ward",
        amount_requested=_pounds(1_200),
        planned_start=today + timedelta(days=40),
        planned_end=today + timedelta(days=200),
        recipient_kind="hosted",
        recipient_name="Cliff Road Neighbours",
        host_name="Northside Community Hub",
        lines=[
            ("Road closure and signs", _pounds(650)),
            ("Stewards' vests and radios", _pounds(350)),
            ("Play kit and first aid", _pounds(200)),
        ],
    )
    for member in (dot, jade):
        steps.declare(grant, member, has_interest=False)
        steps.give_view(grant, member, choice="fund")
    _award(
        grant,
        _pounds(1_200),
        by=priya,
        conditions=CONDITIONS,
        ends_on=today + timedelta(days=200),
        note="The panel agreed. We can help with the road closure form.",
    )
    _dated(grant, today - timedelta(days=21), today - timedelta(days=3))


def _sailors(fund: Fund, gwen: Person, jade: Person, dot: Person, today: date) -> None:
    nia = _neighbour("Nia", "she/her")
    db.session.flush()
    grant = steps.apply(
        fund,
        nia,
        title="Learn to sail for Harbour ward teenagers",
        what="Ten Saturday sessions of dinghy sailing in the harbour for 16 young people, "
        "with life jackets, wetsuits and a qualified instructor.",
        who_for="Young people aged 12 to 16 in Harbour ward who have never sailed",
        hope="That young people who live by the sea get to be on it.",
        where_text="Porthaven harbour, Harbour ward",
        amount_requested=_pounds(4_000),
        planned_start=today + timedelta(days=60),
        planned_end=today + timedelta(days=150),
        after_grant="The club keeps the wetsuits and runs a free taster every year.",
        recipient_kind="organisation",
        recipient_name="Harbour Ward Young Sailors",
        lines=[
            ("Instructor", _pounds(2_000)),
            ("Life jackets and wetsuits", _pounds(1_600)),
            ("Boat hire", _pounds(400)),
        ],
    )
    steps.declare(
        grant,
        gwen,
        has_interest=True,
        interest="I volunteer with the Young Sailors on Saturday mornings.",
    )
    steps.declare(grant, jade, has_interest=False)
    steps.give_view(
        grant,
        jade,
        choice="fund",
        note="My neighbour's lad would love this. Good that the kit stays.",
    )
    steps.declare(grant, dot, has_interest=False)
    _dated(grant, today - timedelta(days=9))


def _bulbs(fund: Fund, kayleigh: Person, today: date) -> None:
    grant = steps.apply(
        fund,
        kayleigh,
        title="Bulbs on the Cliff Road verges",
        what="Daffodil and crocus bulbs, and compost, for a planting morning with the "
        "neighbours on the grass verges of Cliff Road.",
        who_for="Everyone who walks up Cliff Road",
        where_text="Cliff Road, Northside ward",
        amount_requested=_pounds(350),
        planned_start=today + timedelta(days=20),
        planned_end=today + timedelta(days=21),
        recipient_kind="individual",
        recipient_name="Kayleigh",
        name_public=True,  # she chose to be named
    )
    _dated(grant, today - timedelta(days=1))
