"""Setting up a commission, its phases, charter and people, and who may see them."""

from datetime import date, timedelta

from sqlalchemy import select

from participate.audit.models import AuditEntry
from participate.commissions.models import CharterVersion, Commission, PhaseChange
from participate.extensions import db
from tests import factories as f


def _commission_with_people(phase="together", **extra):
    c = f.commission(phase=phase, **extra)
    people = {
        "sam": f.person("Sam"), "jade": f.person("Jade", access_needs="Large print please"),
        "owen": f.person("Owen"), "fatima": f.person("Fatima"),
    }
    f.member(people["sam"], c.space, "facilitator")
    f.member(people["jade"], c.space, "community_commissioner")
    f.member(people["owen"], c.space, "civic_commissioner")
    f.member(people["fatima"], c.space, "business_commissioner")
    db.session.commit()
    return c, people


def test_a_facilitator_sets_up_a_commission(client):
    hub = f.organisation("Northside Community Hub", "community_group")
    council = f.organisation("Porthaven Council")
    sam = f.person("Sam")
    f.member(sam, f.space("Tenants", kind="group"), "facilitator")
    f.sign_in(client, sam)
    bad = client.post("/commissions/new", data={
        "name": "Porthaven PTC", "place": "", "starts_on": "2026-01-05", "phase": "decide",
        "phase_started_on": "2025-12-01", "i_facilitate": "y", "focus": "relationships"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Enter the place." in page and "Choose at least one host organisation." in page
    assert 'value="Porthaven PTC"' in page
    early = client.post("/commissions/new", data={
        "name": "Porthaven PTC", "place": "Porthaven", "hosts": [str(hub.id), str(council.id)],
        "starts_on": "2026-01-05", "phase": "decide", "phase_started_on": "2025-12-01",
        "i_facilitate": "y", "focus": "relationships"})
    assert early.status_code == 422 and "before the start date" in early.get_data(as_text=True)
    response = client.post("/commissions/new", data={
        "name": "Porthaven PTC", "place": "Porthaven", "hosts": [str(hub.id), str(council.id)],
        "starts_on": "2026-01-05", "phase": "decide", "phase_started_on": "2026-01-05",
        "north_star": "Nobody in Porthaven goes without", "i_facilitate": "y",
        "focus": "relationships"})
    assert response.status_code == 303
    commission = db.session.scalar(select(Commission))
    assert {h.organisation_id for h in commission.hosts} == {hub.id, council.id}
    assert commission.phase_plan["community_only"] == 6
    assert [(m.role, m.focus) for m in commission.space.memberships] == [
        ("facilitator", "relationships")]
    assert db.session.scalar(select(CharterVersion.north_star)) == "Nobody in Porthaven goes without"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Porthaven PTC" in page and "Deciding to go ahead" in page


def test_community_commissioners_cannot_set_up_commissions(client):
    c, people = _commission_with_people()
    f.sign_in(client, people["jade"])
    assert client.get("/commissions/new").status_code == 404


def test_civic_commissioner_sees_nothing_of_the_community_only_phase(client):
    c, people = _commission_with_people(phase="community_only")
    slug = c.space.slug
    f.sign_in(client, people["owen"])
    waiting = client.get(f"/commissions/{slug}")
    page = waiting.get_data(as_text=True)
    assert waiting.status_code == 200
    assert "join in phase 4, Together" in page
    assert "Jade" not in page and "Large print" not in page
    for path in ("phases", "charter", "people", "sessions", "commitments"):
        assert client.get(f"/commissions/{slug}/{path}").status_code == 404, path
    # The general space page doesn't leak the member list either.
    assert "Jade" not in client.get(f"/spaces/{slug}", follow_redirects=True).get_data(
        as_text=True)
    client.post("/sign-out")
    f.sign_in(client, people["jade"])
    page = client.get(f"/commissions/{slug}/people").get_data(as_text=True)
    assert "Jade" in page and "Owen" in page


def test_strangers_and_other_spaces_get_404(client):
    c, _ = _commission_with_people()
    outsider = f.person("Olu")
    f.member(outsider, f.space("Other", kind="group"), "facilitator")
    db.session.commit()
    f.sign_in(client, outsider)
    for path in ("", "/phases", "/charter", "/people"):
        assert client.get(f"/commissions/{c.space.slug}{path}").status_code == 404


def test_titles_are_never_shown_and_access_needs_only_to_facilitators(client):
    c, people = _commission_with_people()
    f.sign_in(client, people["owen"])
    page = client.get(f"/commissions/{c.space.slug}/people").get_data(as_text=True)
    assert "Jade" in page and "Large print please" not in page
    client.post("/sign-out")
    f.sign_in(client, people["sam"])
    page = client.get(f"/commissions/{c.space.slug}/people").get_data(as_text=True)
    assert "Large print please" in page


def test_moving_on_early_from_the_community_only_phase_needs_a_recorded_reason(client):
    today = date.today()
    c, people = _commission_with_people(phase="community_only",
                                        phase_started_on=today - timedelta(days=60))
    url = f"/commissions/{c.space.slug}/phases/next"
    f.sign_in(client, people["jade"])
    assert client.post(url).status_code == 404  # only facilitators move phases
    client.post("/sign-out")
    f.sign_in(client, people["sam"])
    page = client.get(f"/commissions/{c.space.slug}/phases").get_data(as_text=True)
    assert "short-circuit" in page
    refused = client.post(url, data={"advance-reason": ""})
    assert refused.status_code == 422
    assert "Say why you are moving on early" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Commission, c.id).phase == "community_only"
    done = client.post(url, data={"advance-reason": "The group asked to meet the civic "
                                                    "commissioners sooner."})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Commission, c.id).phase == "together"
    change = db.session.scalar(select(PhaseChange))
    assert (change.from_phase, change.to_phase, change.overrode_guardrail, change.by_id) == (
        "community_only", "together", True, people["sam"].id)
    assert "sooner" in change.reason
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "commission.phase_moved"))
    assert entry.detail["overrode_guardrail"] is True
    page = client.get(f"/commissions/{c.space.slug}/phases").get_data(as_text=True)
    assert "Earlier than the usual time." in page


def test_shortening_the_plan_warns_and_needs_a_reason(client):
    c, people = _commission_with_people(phase="assemble")
    f.sign_in(client, people["sam"])
    url = f"/commissions/{c.space.slug}/phases/plan"
    plan = {f"months_{k}": str(v) for k, v in c.phase_plan.items()}
    refused = client.post(url, data={**plan, "months_community_only": "3"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "six months" in page and 'value="3"' in page
    bad = client.post(url, data={**plan, "months_action": "abc"})
    assert bad.status_code == 422
    done = client.post(url, data={**plan, "months_community_only": "3",
                                  "reason": "Funding ends early; the group agreed."})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Commission, c.id).phase_plan["community_only"] == 3
    change = db.session.scalar(select(PhaseChange))
    assert change.plan_before["community_only"] == 6 and change.overrode_guardrail


def test_members_write_the_charter_together_with_history(client):
    c, people = _commission_with_people()
    url = f"/commissions/{c.space.slug}/charter"
    f.sign_in(client, people["jade"])
    assert client.post(url, data={"north_star": "x" * 2001}).status_code == 422
    client.post(url, data={"north_star": "Nobody goes without", "principles": "Listen first",
                           "note": "From our first session"})
    client.post("/sign-out")
    f.sign_in(client, people["owen"])
    client.post(url, data={"north_star": "Nobody in Porthaven goes without",
                           "principles": "Listen first\nNo titles"})
    page = client.get(url).get_data(as_text=True)
    assert "Nobody in Porthaven goes without" in page and "No titles" in page
    assert "From our first session" in page
    versions = db.session.scalars(select(CharterVersion).order_by(CharterVersion.id)).all()
    assert [v.edited_by_id for v in versions] == [people["jade"].id, people["owen"].id]


def test_observers_cannot_change_the_charter(client):
    c, _ = _commission_with_people()
    watcher = f.person("Wren")
    f.member(watcher, c.space, "observer")
    f.sign_in(client, watcher)
    assert client.get(f"/commissions/{c.space.slug}/charter").status_code == 200
    assert client.post(f"/commissions/{c.space.slug}/charter",
                       data={"north_star": "Mine now"}).status_code == 404


def test_facilitator_marks_someone_stepping_back_and_sees_a_gentle_hello(client):
    c, people = _commission_with_people()
    jade_membership = next(m for m in people["jade"].memberships)
    f.sign_in(client, people["sam"])
    response = client.post(f"/commissions/{c.space.slug}/people/{jade_membership.id}",
                           data={f"m{jade_membership.id}-status": "stepping_back"})
    assert response.status_code == 303
    page = client.get(f"/commissions/{c.space.slug}/people").get_data(as_text=True)
    assert "Stepping back for now" in page and "A gentle hello" in page
    client.post("/sign-out")
    f.sign_in(client, people["owen"])
    page = client.get(f"/commissions/{c.space.slug}/people").get_data(as_text=True)
    assert "A gentle hello" not in page
    assert client.post(f"/commissions/{c.space.slug}/people/{jade_membership.id}",
                       data={f"m{jade_membership.id}-status": "left"}).status_code == 404


def test_cohort_caps_limit_the_roles_on_offer(client):
    c, people = _commission_with_people(community_cap=1)
    f.sign_in(client, people["sam"])
    page = client.get(f"/spaces/{c.space.slug}/invite").get_data(as_text=True)
    assert 'value="community_commissioner"' not in page
    assert 'value="civic_commissioner"' in page
    refused = client.post(f"/spaces/{c.space.slug}/people/new", data={
        "chosen_name": "Dot", "role": "community_commissioner", "consent": "y"})
    assert refused.status_code == 422


def test_space_page_of_a_commission_goes_to_the_commission(client):
    c, people = _commission_with_people()
    f.sign_in(client, people["jade"])
    response = client.get(f"/spaces/{c.space.slug}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/commissions/{c.space.slug}"


def test_home_page_asks_for_what_the_commission_needs_today(client):
    from participate.demo import DEMO_PASSWORD, load

    load()
    db.session.commit()

    def home(email):
        client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD})
        page = client.get("/").get_data(as_text=True)
        client.post("/sign-out")
        return page

    tom = home("finance@porthaven.example")
    assert "Approve payments for Porthaven Poverty Truth Commission" in tom
    assert "See the next session" not in tom  # approvers don't see the commission's work
    sam = home("facilitator@porthaven.example")
    assert "See the next session of Porthaven Poverty Truth Commission" in sam
    assert "Approve payments" not in sam
    owen = home("civic@porthaven.example")
    assert "See the next session of Porthaven Poverty Truth Commission" in owen
    assert "asked for support" not in owen
