"""Recompense: facilitators record payments and expenses, a host's finance approver decides
(never their own recording, never their own payment), members see only their own history,
and the statement for a benefits adviser keeps payments and expenses apart."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from participate.audit.models import AuditEntry
from participate.commissions.models import CommissionSession, Recompense
from participate.extensions import db
from tests import factories as f


def _setup(phase="together"):
    c = f.commission(phase=phase)
    host = c.hosts[0].organisation
    p = {name: f.person(name.title()) for name in ("sam", "jade", "dot", "owen", "fran", "pat")}
    f.member(p["sam"], c.space, "facilitator")
    f.member(p["jade"], c.space, "community_commissioner")
    f.member(p["dot"], c.space, "community_commissioner")
    f.member(p["owen"], c.space, "civic_commissioner")
    f.member(p["fran"], host, "finance_approver")
    # Pat approves payments for the host and is also one of the commission's facilitators.
    f.member(p["pat"], host, "finance_approver")
    f.member(p["pat"], c.space, "facilitator")
    session = CommissionSession(
        commission_id=c.id,
        title="Listening session",
        starts_at=datetime(2026, 3, 4, 10, tzinfo=UTC),
        ends_at=datetime(2026, 3, 4, 13, tzinfo=UTC),
    )
    db.session.add(session)
    db.session.commit()
    return c, p, session


def _url(c, *parts):
    return "/".join([f"/commissions/{c.space.slug}/payments", *map(str, parts)])


def _record(c, person, recorded_by, kind="involvement", status="recorded", pence=2500, **extra):
    values = dict(
        commission_id=c.id,
        person_id=person.id,
        kind=kind,
        amount_pence=pence,
        status=status,
        recorded_by_id=recorded_by.id,
        activity="Speaking at the housing committee",
        happened_on=date(2026, 3, 10),
    )
    if kind == "involvement":
        values["choice"] = "cash"
    else:
        values["expense_type"] = "travel"
    values.update(extra)
    r = Recompense(**values)
    db.session.add(r)
    db.session.commit()
    return r


def _pay(client, c, person, session=None, choice="cash", **extra):
    data = {
        "pay-person_id": str(person.id),
        "pay-session_id": str(session.id) if session else "",
        "pay-choice": choice,
    }
    data.update(extra)
    return client.post(_url(c, "involvement"), data=data)


def _expense(client, c, person, amount, session=None, kind="travel", **extra):
    data = {
        "expense-person_id": str(person.id),
        "expense-session_id": str(session.id) if session else "",
        "expense-expense_type": kind,
        "expense-amount": amount,
    }
    data.update(extra)
    return client.post(_url(c, "expenses"), data=data)


# --- recording -------------------------------------------------------------------------------


def test_facilitator_sees_the_rates_and_what_each_choice_comes_to_before_saving(client):
    c, p, _ = _setup()
    f.sign_in(client, p["sam"])
    page = f.page_text(client.get(_url(c)))
    assert "The commission pays £25.00 for each session" in page
    assert "reduced amount of £10.00" in page
    assert "Cash or bank payment: £25.00" in page and "Voucher: £25.00" in page
    assert "A reduced amount: £10.00" in page and "No payment, thank you: £0.00" in page
    assert "Listening session, 4 Mar 2026" in page


def test_facilitator_records_a_payment_for_a_session_at_the_commission_rate(client):
    c, p, session = _setup()
    f.sign_in(client, p["sam"])
    response = _pay(client, c, p["jade"], session, "voucher")
    assert response.status_code == 303
    r = db.session.scalar(select(Recompense))
    assert (r.kind, r.choice, r.amount_pence, r.status) == (
        "involvement",
        "voucher",
        2500,
        "recorded",
    )
    assert r.happened_on == date(2026, 3, 4) and r.recorded_by_id == p["sam"].id
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "recompense.recorded"))
    assert audit.visibility == "private" and audit.detail["amount_pence"] == 2500
    page = f.page_text(client.get(_url(c)))
    assert "Waiting for approval" in page and "Jade" in page


def test_reduced_and_declined_payments_use_the_rates(client):
    c, p, session = _setup()
    c.reduced_rate_pence = 1200
    db.session.commit()
    f.sign_in(client, p["sam"])
    assert _pay(client, c, p["jade"], session, "reduced").status_code == 303
    assert _pay(client, c, p["dot"], session, "decline").status_code == 303
    amounts = {r.person_id: r.amount_pence for r in db.session.scalars(select(Recompense))}
    assert amounts == {p["jade"].id: 1200, p["dot"].id: 0}


def test_nobody_is_paid_twice_for_the_same_session(client):
    c, p, session = _setup()
    f.sign_in(client, p["sam"])
    assert _pay(client, c, p["jade"], session).status_code == 303
    again = _pay(client, c, p["jade"], session)
    assert again.status_code == 422 and "already have a payment for this session" in f.page_text(again)
    assert len(db.session.scalars(select(Recompense)).all()) == 1


def test_an_activity_needs_a_description_and_a_date_and_values_are_kept(client):
    c, p, _ = _setup()
    f.sign_in(client, p["sam"])
    response = _pay(client, c, p["jade"], None, "cash", **{"pay-note": "Paid on the day"})
    assert response.status_code == 422
    page = f.page_text(response)
    assert "Choose a session, or say what the activity was." in page
    assert "Enter the date of the activity" in page
    assert 'value="Paid on the day"' in page
    ok = _pay(
        client,
        c,
        p["jade"],
        None,
        "cash",
        **{"pay-activity": "Speaking at cabinet", "pay-happened_on": "2026-04-02"},
    )
    assert ok.status_code == 303
    r = db.session.scalar(select(Recompense))
    assert (r.activity, r.happened_on, r.session_id) == (
        "Speaking at cabinet",
        date(2026, 4, 2),
        None,
    )


def test_a_bad_expense_amount_gets_a_message_next_to_the_field(client):
    c, p, session = _setup()
    f.sign_in(client, p["sam"])
    response = _expense(
        client, c, p["jade"], "four pounds", session, "childcare", **{"expense-note": "Nursery"}
    )
    assert response.status_code == 422
    page = f.page_text(response)
    assert 'id="expense-amount-error"' in page
    assert "Enter the amount in pounds and pence, like 4.80." in page
    assert 'value="four pounds"' in page and 'value="Nursery"' in page
    htmx = client.post(
        _url(c, "expenses"),
        data={
            "expense-person_id": str(p["jade"].id),
            "expense-session_id": str(session.id),
            "expense-expense_type": "travel",
            "expense-amount": "99999",
        },
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 422
    assert f.page_text(htmx).lstrip().startswith('<form id="expense-form"')
    assert "That is more than £10,000.00. Check the amount." in f.page_text(htmx)
    assert db.session.scalar(select(Recompense)) is None


def test_facilitator_records_an_expense_in_pounds_kept_in_pence(client):
    c, p, session = _setup()
    f.sign_in(client, p["sam"])
    assert _expense(client, c, p["jade"], "£4.80", session).status_code == 303
    r = db.session.scalar(select(Recompense))
    assert (r.kind, r.expense_type, r.amount_pence, r.choice) == ("expense", "travel", 480, None)


def test_only_facilitators_record(client):
    c, p, session = _setup()
    for who in ("jade", "owen", "fran"):
        f.sign_in(client, p[who])
        assert _pay(client, c, p[who], session).status_code == 404
        assert _expense(client, c, p[who], "4.80", session).status_code == 404
        client.post("/sign-out")
    assert db.session.scalar(select(Recompense)) is None


# --- approving -------------------------------------------------------------------------------


def test_finance_approver_approves_and_rejects_with_a_note(client):
    c, p, _ = _setup()
    one = _record(c, p["jade"], p["sam"])
    two = _record(c, p["dot"], p["sam"], kind="expense", pence=640)
    f.sign_in(client, p["fran"])
    page = f.page_text(client.get(_url(c)))
    assert "£25.00 for Jade" in page and "£6.40 for Dot" in page
    assert "Record a payment for taking part" not in page  # approvers don't record
    response = client.post(_url(c, one.id, "decision"), data={f"d{one.id}-decision": "approve"})
    assert response.status_code == 303
    no_reason = client.post(
        _url(c, two.id, "decision"), data={f"d{two.id}-decision": "reject", f"d{two.id}-note": ""}
    )
    assert no_reason.status_code == 422 and "Say why" in f.page_text(no_reason)
    htmx = client.post(
        _url(c, two.id, "decision"),
        data={f"d{two.id}-decision": "reject"},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 422 and f.page_text(htmx).lstrip().startswith('<section id="approvals"')
    rejected = client.post(
        _url(c, two.id, "decision"),
        data={f"d{two.id}-decision": "reject", f"d{two.id}-note": "No ticket for this trip"},
    )
    assert rejected.status_code == 303
    db.session.expire_all()
    assert (one.status, one.decided_by_id) == ("approved", p["fran"].id)
    assert (two.status, two.decision_note) == ("rejected", "No ticket for this trip")
    actions = dict(
        db.session.execute(
            select(AuditEntry.action, AuditEntry.visibility).where(
                AuditEntry.action.in_(["recompense.approved", "recompense.rejected"])
            )
        ).all()
    )
    assert actions == {"recompense.approved": "private", "recompense.rejected": "private"}
    # A decided record can't be decided again.
    again = client.post(
        _url(c, one.id, "decision"),
        data={f"d{one.id}-decision": "reject", f"d{one.id}-note": "Oops"},
    )
    assert again.status_code == 404


def test_an_approver_cannot_approve_what_they_recorded_or_what_pays_them(client):
    c, p, session = _setup()
    f.sign_in(client, p["pat"])  # a facilitator and a finance approver
    assert _pay(client, c, p["jade"], session).status_code == 303
    own_recording = db.session.scalar(select(Recompense))
    page = f.page_text(client.get(_url(c)))
    assert "You recorded this, so someone else decides." in page
    response = client.post(
        _url(c, own_recording.id, "decision"), data={f"d{own_recording.id}-decision": "approve"}
    )
    assert response.status_code == 404
    pays_pat = _record(c, p["pat"], p["sam"])
    assert "This is for you, so someone else decides." in f.page_text(client.get(_url(c)))
    response = client.post(
        _url(c, pays_pat.id, "decision"), data={f"d{pays_pat.id}-decision": "approve"}
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert own_recording.status == pays_pat.status == "recorded"
    client.post("/sign-out")
    # Someone else approves both.
    f.sign_in(client, p["fran"])
    for r in (own_recording, pays_pat):
        assert (
            client.post(
                _url(c, r.id, "decision"), data={f"d{r.id}-decision": "approve"}
            ).status_code
            == 303
        )
    db.session.expire_all()
    assert own_recording.status == pays_pat.status == "approved"


def test_facilitators_and_members_cannot_approve(client):
    c, p, _ = _setup()
    r = _record(c, p["dot"], p["pat"])
    for who in ("sam", "jade", "owen"):
        f.sign_in(client, p[who])
        response = client.post(_url(c, r.id, "decision"), data={f"d{r.id}-decision": "approve"})
        assert response.status_code == 404
        client.post("/sign-out")
    db.session.expire_all()
    assert r.status == "recorded"


def test_approver_of_another_organisation_gets_404(client):
    c, p, _ = _setup()
    r = _record(c, p["jade"], p["sam"])
    olu = f.person("Olu")
    f.member(olu, f.organisation("Elsewhere Council"), "finance_approver")
    f.sign_in(client, olu)
    assert client.get(_url(c)).status_code == 404
    assert client.get(_url(c, "mine")).status_code == 404
    assert (
        client.post(_url(c, r.id, "decision"), data={f"d{r.id}-decision": "approve"}).status_code
        == 404
    )


def test_approver_reaches_payments_while_the_commission_is_community_only(client):
    c, p, _ = _setup(phase="community_only")
    _record(c, p["jade"], p["sam"])
    f.sign_in(client, p["fran"])
    page = client.get(_url(c))
    assert page.status_code == 200 and "£25.00 for Jade" in f.page_text(page)
    assert client.get(f"/commissions/{c.space.slug}/commitments").status_code == 404


# --- privacy ---------------------------------------------------------------------------------


def test_members_see_only_their_own_payments(client):
    c, p, _ = _setup()
    _record(c, p["jade"], p["sam"], status="approved", activity="Jade committee day")
    dots = _record(c, p["dot"], p["sam"], status="approved", activity="Dot radio interview")
    for who in ("dot", "owen"):
        f.sign_in(client, p[who])
        redirect = client.get(_url(c))
        assert redirect.status_code == 302 and redirect.headers["Location"].endswith(
            _url(c, "mine")
        )
        mine = f.page_text(client.get(_url(c, "mine")))
        assert "Jade committee day" not in mine and "Jade" not in mine
        assert ("Dot radio interview" in mine) == (who == "dot")
        jade = p["jade"].id
        for url in (
            _url(c, "mine") + f"?person={jade}",
            _url(c, "mine", "statement") + f"?person={jade}",
            _url(c, "mine", "statement.txt") + f"?person={jade}",
        ):
            assert client.get(url).status_code == 404, (who, url)
        assert (
            client.post(
                _url(c, dots.id, "decision"), data={f"d{dots.id}-decision": "approve"}
            ).status_code
            == 404
        )
        client.post("/sign-out")


def test_facilitators_and_approvers_open_a_members_history_and_statement(client):
    c, p, _ = _setup()
    _record(c, p["jade"], p["sam"], status="approved", activity="Committee day")
    for who in ("sam", "fran"):
        f.sign_in(client, p[who])
        history = client.get(_url(c, "mine") + f"?person={p['jade'].id}")
        assert history.status_code == 200
        assert "Jade&#39;s payments and expenses" in f.page_text(history) or "Jade's payments" in f.page_text(
            history
        )
        statement = client.get(_url(c, "mine", "statement") + f"?person={p['jade'].id}")
        assert statement.status_code == 200 and "Committee day" in f.page_text(statement)
        client.post("/sign-out")
    # A facilitator of another commission can't, and nobody can for someone not in it.
    other = f.commission("Another commission")
    stranger = f.person("Kim")
    f.member(stranger, other.space, "facilitator")
    outsider = f.person("Lee")
    f.sign_in(client, stranger)
    assert client.get(_url(c, "mine") + f"?person={p['jade'].id}").status_code == 404
    client.post("/sign-out")
    f.sign_in(client, p["sam"])
    assert client.get(_url(c, "mine") + f"?person={outsider.id}").status_code == 404
    assert client.get(_url(c, "mine") + "?person=nonsense").status_code == 404


def test_in_assisted_mode_the_facilitator_sees_the_members_own_view(client):
    c, p, _ = _setup()
    _record(c, p["jade"], p["sam"], activity="Jade committee day")
    _record(c, p["dot"], p["sam"], activity="Dot radio interview")
    f.sign_in(client, p["sam"])
    client.post(
        f"/spaces/{c.space.slug}/assist", data={"person_id": str(p["jade"].id), "consent": "y"}
    )
    response = client.get(_url(c))
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(c, "mine"))
    mine = f.page_text(client.get(_url(c, "mine")))
    assert "Jade committee day" in mine and "Dot radio interview" not in mine
    # ... and can't record while acting for Jade.
    assert (
        _pay(
            client,
            c,
            p["jade"],
            None,
            "cash",
            **{"pay-activity": "x", "pay-happened_on": "2026-04-02"},
        ).status_code
        == 404
    )


# --- the statement ---------------------------------------------------------------------------


def _history(c, p, session):
    _record(
        c,
        p["jade"],
        p["sam"],
        status="approved",
        session_id=session.id,
        happened_on=date(2026, 3, 4),
        activity=None,
    )
    _record(
        c,
        p["jade"],
        p["sam"],
        status="approved",
        choice="voucher",
        activity="Speaking at cabinet",
        happened_on=date(2026, 4, 2),
    )
    _record(
        c,
        p["jade"],
        p["sam"],
        status="approved",
        choice="decline",
        pence=0,
        activity="Declined day",
        happened_on=date(2026, 4, 9),
    )
    _record(
        c,
        p["jade"],
        p["sam"],
        status="rejected",
        activity="Rejected day",
        happened_on=date(2026, 4, 10),
    )
    _record(
        c,
        p["jade"],
        p["sam"],
        status="recorded",
        activity="Waiting day",
        happened_on=date(2026, 5, 1),
    )
    _record(
        c,
        p["jade"],
        p["sam"],
        kind="expense",
        status="approved",
        pence=640,
        session_id=session.id,
        activity=None,
        happened_on=date(2026, 3, 4),
    )
    _record(
        c,
        p["jade"],
        p["sam"],
        kind="expense",
        status="approved",
        pence=1800,
        expense_type="childcare",
        activity="Speaking at cabinet",
        happened_on=date(2026, 4, 2),
    )
    _record(c, p["dot"], p["sam"], status="approved", activity="Dot day")


def test_member_history_keeps_payments_and_expenses_in_separate_tables(client):
    c, p, session = _setup()
    _history(c, p, session)
    f.sign_in(client, p["jade"])
    page = f.page_text(client.get(_url(c, "mine")))
    payments, expenses = page.split('id="payments-heading"')[1].split('id="expenses-heading"')
    assert "Speaking at cabinet" in payments and "Waiting day" in payments
    assert "Childcare" not in payments and "Childcare" in expenses and "£18.00" in expenses
    assert "Dot day" not in page
    assert "Payments for taking part, approved: £50.00" in page
    assert "Expenses paid back, approved: £24.40" in page


def test_statement_for_a_benefits_adviser(client):
    c, p, session = _setup()
    _history(c, p, session)
    f.sign_in(client, p["jade"])
    page = f.page_text(client.get(_url(c, "mine", "statement")))
    assert "Statement of payments and expenses" in page
    assert "Jade" in page and c.space.name in page
    assert "4 March 2026 to 1 May 2026" in page
    assert "Listening session" in page and "Speaking at cabinet" in page
    for absent in ("Declined day", "Rejected day", "Dot day", 'class="subnav"'):
        assert absent not in page
    assert "£50.00" in page and "£24.40" in page
    assert "They are not income or earnings." in page

    text = client.get(_url(c, "mine", "statement.txt"))
    assert text.status_code == 200 and text.mimetype == "text/plain"
    assert text.headers["Content-Disposition"].startswith("attachment;")
    assert ".txt" in text.headers["Content-Disposition"]
    body = f.page_text(text)
    assert "<" not in body  # plain text, not HTML
    assert "Name: Jade" in body and f"Commission: {c.space.name}, Porthaven" in body
    assert "Period: 4 March 2026 to 1 May 2026" in body
    assert "- 4 Mar 2026: Listening session. Paid as: Cash or bank payment. £25.00" in body
    assert "- 2 Apr 2026: Speaking at cabinet. Paid as: Voucher. £25.00" in body
    assert "Total payments for taking part: £50.00" in body
    assert "- 4 Mar 2026: Listening session. Kind of cost: Travel. £6.40" in body
    assert "- 2 Apr 2026: Speaking at cabinet. Kind of cost: Childcare. £18.00" in body
    assert "Total expenses paid back: £24.40" in body
    assert "Travel: £6.40" in body and "Childcare: £18.00" in body
    assert "Expenses are repayments of costs Jade paid in order to take part" in body
    assert "They are not income or earnings." in body
    assert "Not yet approved, so not included above: £25.00 of payments and £0.00" in body
    for absent in ("Declined day", "Rejected day", "Waiting day", "Dot day"):
        assert absent not in body
    # Payments and expenses stay in their own sections.
    payments, expenses = body.split("Expenses paid back\n")
    assert "Kind of cost" not in payments and "Paid as" not in expenses


def test_statement_for_a_period(client):
    c, p, session = _setup()
    _history(c, p, session)
    f.sign_in(client, p["jade"])
    body = f.page_text(client.get(_url(c, "mine", "statement.txt") + "?from=2026-04-01&to=2026-04-30"))
    assert "Period: 1 April 2026 to 30 April 2026" in body
    assert "Speaking at cabinet" in body and "Listening session" not in body
    assert "Total payments for taking part: £25.00" in body
    bad = f.page_text(client.get(_url(c, "mine", "statement") + "?from=April"))
    assert "Dates look like 2026-11-22" in bad and "Listening session" in bad


def test_facilitators_set_the_rates_and_others_cannot(client):
    from participate.commissions.models import Commission as _Commission

    commission = f.commission()
    sam, jade = f.person("Sam"), f.person("Jade")
    f.member(sam, commission.space, "facilitator")
    f.member(jade, commission.space, "community_commissioner")
    db.session.commit()
    url = f"/commissions/{commission.space.slug}/payments/rates"
    f.sign_in(client, jade)
    assert client.post(url, data={"rate": "30", "reduced": "12"}).status_code == 404
    client.post("/sign-out")
    f.sign_in(client, sam)
    page = client.get(f"/commissions/{commission.space.slug}/payments").get_data(as_text=True)
    assert 'value="25.00"' in page and 'value="10.00"' in page
    bad = client.post(url, data={"rate": "thirty", "reduced": "40"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "like 25.00" in text and 'value="thirty"' in text and 'value="40"' in text
    higher = client.post(url, data={"rate": "30", "reduced": "40"})
    assert higher.status_code == 422 and "less than the full payment" in higher.get_data(
        as_text=True)
    assert client.post(url, data={"rate": "£30", "reduced": "12.50"}).status_code == 303
    db.session.expire_all()
    saved = db.session.get(_Commission, commission.id)
    assert (saved.involvement_rate_pence, saved.reduced_rate_pence) == (3000, 1250)
