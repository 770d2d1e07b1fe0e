"""Deciding on applications through the pages: declarations of interest before views, members
with an interest stepping out, the panel's majority (one view for a micro-grant), the award as
a commitment and a decline with a reason, consent rounds, the register of declarations, and
awards from the winners of a residents' vote. Who may not do something gets a 404 or a plain
refusal, and nothing changes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from participate.budgeting.models import Result
from participate.columns import utcnow
from participate.decisions.models import Decision, Proposal
from participate.extensions import db
from participate.grants import books
from participate.grants.models import Declaration, Grant, PanelView
from tests import factories as f


@pytest.fixture
def panel(app):
    org = f.organisation()
    priya, omar = f.person("Priya Officer"), f.person("Omar Officer")
    f.member(priya, org, "council_officer")
    f.member(omar, org, "council_officer")
    fund = f.fund(1_000_000, organisation_=org, officer=priya)
    members = [f.person(name) for name in ("Gwen", "Jade", "Kim", "Lee", "Mo")]
    for m in members:
        f.member(m, fund.space, "grant_panel_member")
    applicant = f.person("Ann Applicant")
    grant = f.application(fund, applicant=applicant, amount=100_000)
    db.session.commit()
    return SimpleNamespace(
        org=org,
        priya=priya,
        omar=omar,
        fund=fund,
        members=members,
        applicant=applicant,
        grant=grant,
    )


def _url(grant, action: str = "") -> str:
    base = f"/funds/{grant.fund.slug}/grants/{grant.number}"
    return f"{base}/{action}" if action else base


def _declare(client, grant, interest: str | None = None):
    data = {"declared": "interest", "interest": interest} if interest else {"declared": "none"}
    return client.post(_url(grant, "declare"), data=data)


def _view(client, grant, choice="fund", note=""):
    return client.post(_url(grant, "view"), data={"view": choice, "view_note": note})


def _views(grant) -> int:
    return db.session.scalar(select(func.count(PanelView.id)).where(PanelView.grant_id == grant.id))


def _fresh(grant) -> Grant:
    db.session.expire_all()
    return db.session.get(Grant, grant.id)


def _panel_says(client, grant, members, choice):
    for m in members:
        f.as_person(client, m)
        assert _declare(client, grant).status_code == 303
        assert _view(client, grant, choice).status_code == 303


def test_a_panel_member_declares_before_giving_a_view(client, panel):
    gwen = panel.members[0]
    f.as_person(client, gwen)
    page = f.page_text(client.get(_url(panel.grant)))
    assert "say whether you have an interest in this application" in page
    assert 'id="view-form"' not in page

    refused = _view(client, panel.grant)
    assert refused.status_code == 303 and _views(panel.grant) == 0
    followed = f.page_text(client.get(refused.headers["Location"]))
    assert "First say whether you have an interest" in followed

    assert _declare(client, panel.grant).status_code == 303
    assert _view(client, panel.grant, "fund", "Good for the estate").status_code == 303
    view = db.session.scalars(select(PanelView)).one()
    assert (view.person_id, view.choice, view.note) == (gwen.id, "fund", "Good for the estate")
    page = f.page_text(client.get(_url(panel.grant)))
    assert "1 of 5 members have given a view." in page
    assert "1 wants to fund it." in page and "It needs 3 to agree." in page
    assert "community members included" in page and "The panel's part" in page


def test_declaring_an_interest_needs_what_it_is_and_steps_the_member_out(client, panel):
    gwen = panel.members[0]
    f.as_person(client, gwen)
    _declare(client, panel.grant)
    _view(client, panel.grant, "fund")
    assert _views(panel.grant) == 1

    missing = client.post(
        _url(panel.grant, "declare"), data={"declared": "interest", "interest": ""}
    )
    assert missing.status_code == 422
    assert "Say what your interest is" in f.page_text(missing)
    assert db.session.scalars(select(Declaration)).one().has_interest is False

    assert _declare(client, panel.grant, "My sister runs the group").status_code == 303
    declaration = db.session.scalars(select(Declaration)).one()
    assert declaration.has_interest and declaration.interest == "My sister runs the group"
    assert _views(panel.grant) == 0  # a view given before no longer counts
    page = f.page_text(client.get(_url(panel.grant)))
    assert "You declared an interest, so you are stepping out of deciding this one" in page
    assert 'id="view-form"' not in page
    assert "0 of 4 members have given a view." in page

    refused = _view(client, panel.grant)
    assert refused.status_code == 303 and _views(panel.grant) == 0
    assert "stepping out" in f.page_text(client.get(refused.headers["Location"]))

    # They can change their declaration while the application is open.
    assert _declare(client, panel.grant).status_code == 303
    assert _view(client, panel.grant, "not_fund").status_code == 303
    assert _views(panel.grant) == 1


def test_a_form_with_a_problem_comes_back_alone_for_htmx(client, panel):
    f.as_person(client, panel.members[0])
    response = client.post(
        _url(panel.grant, "declare"),
        data={"declared": "interest", "interest": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#decision"
    body = f.page_text(response)
    assert body.lstrip().startswith("<section") and "Say what your interest is" in body


def test_people_off_the_panel_cannot_declare_give_views_decide_or_see_the_register(client, panel):
    other_org = f.organisation("Another Council")
    stranger_officer = f.person("Stranger Officer")
    f.member(stranger_officer, other_org, "council_officer")
    resident = f.person("Rhys Resident")
    _panel_says(client, panel.grant, panel.members[:3], "fund")
    for who in (resident, stranger_officer, panel.applicant):
        f.as_person(client, who)
        assert _declare(client, panel.grant).status_code == 404
        assert _view(client, panel.grant).status_code == 404
        assert client.post(_url(panel.grant, "award"), data={"amount": "1000"}).status_code == 404
        assert client.post(_url(panel.grant, "decline"), data={"reason": "No"}).status_code == 404
        assert client.post(_url(panel.grant, "consent-round")).status_code == 404
        assert client.get(f"/funds/{panel.fund.slug}/register").status_code == 404
        assert client.get(f"/funds/{panel.fund.slug}/from-round").status_code == 404
    # The grantee sees their application, but not the panel's part.
    f.as_person(client, panel.applicant)
    page = f.page_text(client.get(_url(panel.grant)))
    assert "The panel's part" not in page and "Gwen" not in page
    assert _fresh(panel.grant).status == "applied"
    assert db.session.scalar(select(func.count(Declaration.id))) == 3


def test_a_recused_manager_cannot_decide(client, panel):
    f.member(panel.omar, panel.fund.space, "grant_panel_member")
    db.session.commit()
    _panel_says(client, panel.grant, panel.members[:4], "fund")
    f.as_person(client, panel.omar)
    assert _declare(client, panel.grant, "I used to work with them").status_code == 303
    page = f.page_text(client.get(_url(panel.grant)))
    assert "someone else records the decision" in page and 'id="award-form"' not in page
    refused = client.post(_url(panel.grant, "award"), data={"amount": "1000"})
    assert refused.status_code == 303
    assert _fresh(panel.grant).status == "applied"
    assert books.grant_money(panel.grant).unpaid == 0
    # Priya, with no interest, records it.
    f.as_person(client, panel.priya)
    assert client.post(_url(panel.grant, "award"), data={"amount": "1000"}).status_code == 303
    assert _fresh(panel.grant).status == "awarded"


def test_a_majority_decides_and_the_award_is_a_commitment(client, panel):
    _panel_says(client, panel.grant, panel.members[:2], "fund")
    f.as_person(client, panel.priya)
    page = f.page_text(client.get(_url(panel.grant)))
    assert 'id="why-not-yet"' in page and 'id="award-form"' not in page
    early = client.post(_url(panel.grant, "award"), data={"amount": "1000"})
    assert early.status_code == 303 and _fresh(panel.grant).status == "applied"

    _panel_says(client, panel.grant, panel.members[2:3], "fund")
    f.as_person(client, panel.priya)
    page = f.page_text(client.get(_url(panel.grant)))
    assert "The panel agreed to fund it." in page and 'id="award-form"' in page
    assert 'value="1000.00"' in page  # the amount asked, by default

    too_much = client.post(
        _url(panel.grant, "award"), data={"amount": "1500", "conditions": "Send us photos"}
    )
    assert too_much.status_code == 422
    text = f.page_text(too_much)
    assert "Award no more than was asked for." in text and "Send us photos" in text

    done = client.post(
        _url(panel.grant, "award"),
        data={
            "amount": "800",
            "conditions": "Send us photos",
            "ends_on": "2027-03-31",
            "award_note": "The panel loved it",
        },
    )
    assert done.status_code == 303
    grant = _fresh(panel.grant)
    assert grant.status == "awarded" and grant.amount_awarded == 80_000
    assert grant.decided_by == "panel" and grant.decided_by_id == panel.priya.id
    assert grant.conditions == "Send us photos" and grant.decision_note == "The panel loved it"
    assert str(grant.ends_on) == "2027-03-31"
    assert books.grant_money(grant).unpaid == 80_000
    assert books.fund_money(grant.fund).available == 920_000


def test_the_fund_can_only_award_what_it_has(client, panel):
    big = f.application(panel.fund, amount=2_000_000)
    db.session.commit()
    _panel_says(client, big, panel.members[:3], "fund")
    f.as_person(client, panel.priya)
    response = client.post(_url(big, "award"), data={"amount": "20000"})
    assert response.status_code == 422
    assert "The fund has only £10,000.00 left to award." in f.page_text(response)
    assert _fresh(big).status == "applied"


def test_the_manager_cannot_override_the_panel_and_a_decline_needs_a_reason(client, panel):
    _panel_says(client, panel.grant, panel.members[:3], "not_fund")
    f.as_person(client, panel.priya)
    page = f.page_text(client.get(_url(panel.grant)))
    assert "The panel agreed not to fund it." in page
    assert 'id="decline-form"' in page and 'id="award-form"' not in page
    assert client.post(_url(panel.grant, "award"), data={"amount": "1000"}).status_code == 303
    assert _fresh(panel.grant).status == "applied"

    no_reason = client.post(_url(panel.grant, "decline"), data={"reason": "  "})
    assert no_reason.status_code == 422
    assert "Give the reason the applicant will read." in f.page_text(no_reason)
    assert _fresh(panel.grant).status == "applied"

    done = client.post(
        _url(panel.grant, "decline"),
        data={"reason": "We fund new activities only. Try the arts fund."},
    )
    assert done.status_code == 303
    grant = _fresh(panel.grant)
    assert grant.status == "declined" and grant.decided_by == "panel"
    assert grant.decision_note == "We fund new activities only. Try the arts fund."
    f.as_person(client, panel.applicant)
    assert "Try the arts fund." in f.page_text(client.get(_url(grant)))


def test_a_micro_grant_needs_one_view(client, panel):
    panel.fund.micro_limit = 50_000
    small = f.application(panel.fund, amount=30_000, title="Seeds for the garden")
    db.session.commit()
    assert small.micro
    _panel_says(client, small, panel.members[:1], "fund")
    f.as_person(client, panel.priya)
    page = f.page_text(client.get(_url(small)))
    assert "one view decides it" in page and 'id="award-form"' in page
    assert client.post(_url(small, "award"), data={"amount": "300"}).status_code == 303
    assert _fresh(small).status == "awarded"
    assert books.grant_money(small).unpaid == 30_000


def test_a_consent_round_decides_then_the_manager_awards_or_declines(client, panel):
    panel.fund.decides_by = "consent"
    other = f.application(panel.fund, amount=50_000, title="Repair café")
    db.session.commit()
    f.as_person(client, panel.members[0])
    assert _declare(client, panel.grant).status_code == 303
    assert _view(client, panel.grant).status_code == 303  # no views: the round decides
    assert _views(panel.grant) == 0

    f.as_person(client, panel.priya)
    page = f.page_text(client.get(_url(panel.grant)))
    assert "Take this to a consent round" in page
    assert client.post(_url(panel.grant, "consent-round")).status_code == 303
    grant = _fresh(panel.grant)
    proposal = db.session.get(Proposal, grant.proposal_id)
    assert proposal.space_id == panel.fund.space_id and proposal.state == "draft"
    assert "Breakfast and games" in proposal.version.driver
    assert "£1,000.00" in proposal.version.text
    page = f.page_text(client.get(_url(grant)))
    assert f"/decide/{panel.fund.slug}/{proposal.id}" in page
    assert "The consent round is under way." in page
    # Only once; and no award before the round agrees.
    client.post(_url(grant, "consent-round"))
    assert db.session.scalar(select(func.count(Proposal.id))) == 1
    client.post(_url(grant, "award"), data={"amount": "1000"})
    assert _fresh(grant).status == "applied"

    proposal.state = "adopted"
    db.session.add(
        Decision(
            proposal_id=proposal.id,
            version_number=1,
            text=proposal.version.text,
            adopted_by_id=panel.priya.id,
            record={},
        )
    )
    db.session.commit()
    page = f.page_text(client.get(_url(grant)))
    assert "The consent round agreed to fund it." in page and 'id="award-form"' in page
    assert client.post(_url(grant, "award"), data={"amount": "1000"}).status_code == 303
    grant = _fresh(grant)
    assert grant.status == "awarded" and grant.decided_by == "consent"
    assert books.grant_money(grant).unpaid == 100_000

    client.post(_url(other, "consent-round"))
    second = db.session.get(Proposal, _fresh(other).proposal_id)
    second.state = "withdrawn"
    db.session.commit()
    assert 'id="decline-form"' in f.page_text(client.get(_url(other)))
    assert (
        client.post(_url(other, "decline"), data={"reason": "The panel did not agree."}).status_code
        == 303
    )
    assert (_fresh(other).status, _fresh(other).decided_by) == ("declined", "consent")


def test_the_register_shows_every_declaration_to_the_panel(client, panel):
    gwen, jade = panel.members[:2]
    f.as_person(client, gwen)
    _declare(client, panel.grant, "I know the treasurer")
    f.as_person(client, jade)
    _declare(client, panel.grant)
    for who in (panel.members[2], panel.priya):
        f.as_person(client, who)
        response = client.get(f"/funds/{panel.fund.slug}/register")
        assert response.status_code == 200
        page = f.page_text(response)
        assert "I know the treasurer" in page and "Gwen" in page and "Jade" in page
        assert "An interest" in page and "No interest" in page
        assert "Not declared yet:" in page and "Kim" in page
        assert "2 declarations so far." in page
    assert "make grants from the winners of a residents" in page  # the managers' note
    f.as_person(client, panel.members[2])
    assert "make grants from the winners" not in f.page_text(
        client.get(f"/funds/{panel.fund.slug}/register")
    )


# --- awards from residents' votes ------------------------------------------------------------


def _round_with_winners(org, author, *, published=True):
    rnd = f.grant_round(
        "results",
        organisation_=org,
        title="Northside Decides",
        pots=((10_000, "Northside"), (5_000, "Harbour")),
    )
    north, harbour = rnd.pots
    benches = f.budget_project(
        north, "Benches", 3_000, author=author, ref="1-1", where_text="Harbour Walk"
    )
    mural = f.budget_project(
        north, "Mural", 2_000, author=author, ref="1-2", group_name="Northside Artists"
    )
    nobody = f.budget_project(north, "Bins", 1_000, author=None, ref="1-3")
    loser = f.budget_project(north, "Fountain", 9_000, author=author, ref="1-4")
    boat = f.budget_project(harbour, "Boat trips", 1_500, author=author, ref="2-1")
    for pot, refs in ((north, ["1-1", "1-2", "1-3"]), (harbour, ["2-1"])):
        db.session.add(
            Result(
                pot_id=pot.id,
                rule="greedy",
                outcome={"selected": refs},
                published=published,
                published_at=utcnow() if published else None,
            )
        )
    db.session.commit()
    return rnd, SimpleNamespace(benches=benches, mural=mural, nobody=nobody, loser=loser, boat=boat)


def _grants_from(rnd_projects) -> list[Grant]:
    db.session.expire_all()
    return db.session.scalars(
        select(Grant).where(Grant.project_id.is_not(None)).order_by(Grant.number)
    ).all()


def test_awards_from_a_residents_vote_make_one_grant_per_winner_once(client, panel):
    author = f.person("Bea Author")
    rnd, p = _round_with_winners(panel.org, author)
    elsewhere, _ = _round_with_winners(f.organisation("Elsewhere"), author)
    unpublished, _ = _round_with_winners(panel.org, author, published=False)
    url = f"/funds/{panel.fund.slug}/from-round"
    f.as_person(client, panel.priya)
    page = f.page_text(client.get(url))
    assert f'value="{rnd.id}"' in page
    assert f'value="{elsewhere.id}"' not in page and f'value="{unpublished.id}"' not in page

    preview = f.page_text(client.get(url, query_string={"round_id": rnd.id}))
    assert "Benches" in preview and "Boat trips" in preview and "Fountain" not in preview
    assert "cannot become a grant here" in preview  # Bins has no author
    assert "3 grants to make, for £6,500.00." in preview
    assert not _grants_from(p)  # a preview makes nothing

    made = client.post(url, data={"round_id": rnd.id})
    assert made.status_code == 303
    told = f.page_text(client.get(made.headers["Location"]))
    assert "3 grants made from the residents&#39; vote in Northside Decides." in told
    assert "1 winner has no one named as suggesting it, so it is not a grant yet: Bins." in told
    grants = _grants_from(p)
    assert [g.title for g in grants] == ["Benches", "Mural", "Boat trips"]
    for g in grants:
        assert g.status == "awarded" and g.decided_by == "residents"
        assert g.decision_note == "Chosen by residents in Northside Decides"
        assert g.applicant_id == author.id and not g.name_public
        assert books.grant_money(g).unpaid == g.amount_awarded == g.amount_requested
    benches, mural, _boat = grants
    assert (
        benches.amount_awarded,
        benches.recipient_kind,
        benches.recipient_name,
        benches.where_text,
    ) == (300_000, "individual", "Bea Author", "Harbour Walk")
    assert (mural.recipient_kind, mural.recipient_name) == ("organisation", "Northside Artists")
    assert books.fund_money(panel.fund).available == 1_000_000 - 650_000

    # Not twice.
    again = client.post(url, data={"round_id": rnd.id})
    assert again.status_code == 422 and "nothing left" in f.page_text(again)
    assert len(_grants_from(p)) == 3
    page = f.page_text(client.get(url, query_string={"round_id": rnd.id}))
    assert "Already a grant:" in page and f"{panel.fund.slug}-{benches.number}" in page

    # A round of another council cannot be used.
    assert client.post(url, data={"round_id": elsewhere.id}).status_code == 422
    assert len(_grants_from(p)) == 3


def test_awards_from_a_residents_vote_are_all_or_nothing(client, panel):
    author = f.person("Bea Author")
    poor = f.fund(500_000, organisation_=panel.org, officer=panel.priya, name="Small Fund")
    db.session.commit()
    rnd, p = _round_with_winners(panel.org, author)
    url = f"/funds/{poor.slug}/from-round"
    f.as_person(client, panel.priya)
    preview = f.page_text(client.get(url, query_string={"round_id": rnd.id}))
    assert "The fund is short by £1,500.00." in preview
    refused = client.post(url, data={"round_id": rnd.id})
    assert refused.status_code == 422
    assert "Nothing was made" in f.page_text(refused)
    assert _grants_from(p) == []
    assert db.session.scalar(select(func.count(Grant.id)).where(Grant.fund_id == poor.id)) == 0
    assert books.fund_money(poor).available == 500_000
    # Panel members do not make grants from a vote.
    f.as_person(client, panel.members[0])
    assert client.get(url).status_code == 404


def test_in_the_consent_round_a_member_who_declared_an_interest_steps_out(client, panel):
    from participate.clock import local_today
    from participate.decisions import steps as decision_steps
    from participate.decisions.models import ConsentResponse

    panel.fund.decides_by = "consent"
    jade, kim = panel.members[1], panel.members[2]
    db.session.commit()
    f.as_person(client, jade)
    assert _declare(client, panel.grant, "My sister runs the club.").status_code == 303
    f.as_person(client, panel.priya)
    assert client.post(_url(panel.grant, "consent-round")).status_code == 303
    proposal = db.session.get(Proposal, _fresh(panel.grant).proposal_id)
    proposal.state = "consent"
    decision_steps._open_round(proposal, "consent", panel.priya)
    db.session.commit()

    circle = decision_steps.circle_for(panel.fund.space)
    assert decision_steps.stepped_out(proposal) == {jade.id, panel.applicant.id}
    assert jade.id not in [p.id for p in decision_steps.deciders(circle, proposal)]
    assert decision_steps.situation(proposal, circle, local_today()).members == 4

    answer = {"answer": "consent", "reason": ""}
    f.as_person(client, jade)
    assert client.post(f"/decide/{panel.fund.slug}/{proposal.id}/answers", data=answer).status_code == 404
    f.as_person(client, kim)
    assert client.post(f"/decide/{panel.fund.slug}/{proposal.id}/answers", data=answer).status_code == 303
    answered = db.session.scalars(select(ConsentResponse.person_id)).all()
    assert answered == [kim.id]
