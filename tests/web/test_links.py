"""Links across features: the chain on each page, for each reader, and adding/removing links."""

import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from participate.accounts.models import Person
from participate.decisions.models import Decision, Proposal
from participate.demo import DEMO_PASSWORD, load
from participate.extensions import db
from participate.grants.models import Grant
from participate.links.models import Link
from participate.stories.models import Story, StoryLink, Theme
from tests.factories import page_text, sign_in

NAMED = "A named contact for council tax arrears"
WARM = "Winter warm packs and a damp clinic"


def _who(email):
    return db.session.scalar(select(Person).where(Person.email == f"{email}@porthaven.example"))


def as_person(client, p):
    client.post("/sign-out")
    if p is not None:
        sign_in(client, p, DEMO_PASSWORD)


def _chain(response) -> str:
    """Just the "How this connects" part of a page."""
    text = page_text(response)
    found = re.search(r'<section id="connections".*?</section>', text, re.S)
    assert found, "no chain on the page"
    return found.group(0)


@pytest.fixture
def demo(app):
    load()
    db.session.commit()
    proposal = db.session.scalar(select(Proposal).where(Proposal.title == NAMED))
    decision = db.session.scalar(select(Decision).where(Decision.proposal_id == proposal.id))
    grant = db.session.scalar(select(Grant).where(Grant.title == WARM))
    return proposal, decision, grant


def _story(title):
    return db.session.scalar(select(Story).where(Story.title == title))


def test_a_visitor_follows_a_published_decision_back_to_stories_and_on_to_grants(client, demo):
    proposal, decision, grant = demo
    # A story only facilitators may read, linked to the same decision: never shown in public.
    private = _story("What keeps me well")
    db.session.add(StoryLink(story_id=private.id, target_kind="decision", target_id=decision.id))
    db.session.commit()
    chain = _chain(client.get(f"/decisions/{proposal.id}"))
    assert "Passed from desk to desk" in chain and "Told by Jade" in chain
    assert "Why I&#39;m here" in chain and "Told by Owen" in chain
    assert "Review how the council writes" in chain and "In progress" in chain
    assert WARM in chain and "Paid so far" in chain and "£1,800.00" in chain
    assert "as of" in chain
    assert "What keeps me well" not in chain and f"chain-story-{private.id}" not in chain
    assert f"chain-proposal-{proposal.id}" not in chain  # in public: the decision it became
    assert "Link this to" not in chain
    # The grant's page, for a visitor: its public facts and where it came from.
    page = client.get(f"/connections/grant/{grant.id}")
    assert page.status_code == 200
    assert NAMED in _chain(page) and "Passed from desk to desk" in _chain(page)
    # ... and the story's, as its teller shared it.
    story = _story("Passed from desk to desk")
    story_page = client.get(f"/connections/story/{story.id}")
    assert story_page.status_code == 200 and "one person who knew" in page_text(story_page)
    assert WARM in _chain(story_page)
    assert client.get(f"/connections/story/{private.id}").status_code == 404


def test_the_tellers_naming_choice_and_consent_are_respected(client, demo):
    proposal, _decision, _grant = demo
    story = _story("Passed from desk to desk")
    story.attribution = "anonymous"
    db.session.commit()
    chain = _chain(client.get(f"/decisions/{proposal.id}"))
    assert "Passed from desk to desk" in chain and "Jade" not in chain
    assert "chose not to be named" in chain
    story.attribution, story.pseudonym = "pseudonym", "Robin"
    db.session.commit()
    assert "Told by Robin" in _chain(client.get(f"/decisions/{proposal.id}"))
    story.status = "withdrawn"
    db.session.commit()
    chain = _chain(client.get(f"/decisions/{proposal.id}"))
    assert "Passed from desk to desk" not in chain
    assert client.get(f"/connections/story/{story.id}").status_code == 404


def test_members_see_more_of_the_chain_and_the_teller_sees_what_happened(client, demo):
    proposal, decision, _grant = demo
    story = _story("Passed from desk to desk")
    theme = Theme(commission_id=story.commission_id, name="Dealing with the council")
    db.session.add(theme)
    db.session.flush()
    db.session.add(
        Link(source_kind="theme", source_id=theme.id, target_kind="proposal", target_id=proposal.id)
    )
    db.session.commit()
    # Themes are for the commission's members: a visitor never sees this one.
    assert "Dealing with the council" not in _chain(client.get(f"/decisions/{proposal.id}"))
    as_person(client, _who("facilitator"))
    record = client.get(f"/decide/porthaven-poverty-truth-commission/{proposal.id}/decision")
    assert record.status_code == 200
    chain = _chain(record)
    assert "Dealing with the council" in chain and f"chain-proposal-{proposal.id}" in chain
    as_person(client, _who("community"))
    mine = client.get(f"/commissions/porthaven-poverty-truth-commission/stories/{story.id}")
    chain = _chain(mine)
    # story → proposal → decision → grant paid: beyond what it is linked to directly
    assert NAMED in chain and WARM in chain and "Paid so far" in chain
    assert "Review how the council writes" in chain


def test_a_story_the_page_lists_is_not_repeated_in_its_chain(client, demo):
    proposal, _decision, _grant = demo
    stories = [_story("Passed from desk to desk"), _story("Why I'm here")]
    linked = {(sl.story_id, sl.target_kind) for sl in db.session.scalars(select(StoryLink))}
    assert all((story.id, "proposal") in linked for story in stories)
    as_person(client, _who("facilitator"))
    base = f"/decide/porthaven-poverty-truth-commission/{proposal.id}"
    # The proposal's page lists its stories under "Stories behind this": once each.
    page = client.get(base)
    text, chain = page_text(page), _chain(page)
    for story in stories:
        assert text.count(f'/stories/{story.id}"') == 1
        assert f"chain-story-{story.id}" not in chain
    # The decision's record does not list them: its chain shows where it came from.
    chain = _chain(client.get(f"{base}/decision"))
    for story in stories:
        assert f"chain-story-{story.id}" in chain


def test_implied_links_need_no_row(client, demo):
    from participate.budgeting.models import BudgetProject

    project_grant = db.session.scalar(select(Grant).where(Grant.project_id.is_not(None)))
    project = db.session.get(BudgetProject, project_grant.project_id)
    rnd_slug = project.pot.round.space.slug
    chain = _chain(client.get(f"/rounds/{rnd_slug}/projects/{project.id}"))
    assert str(escape(project_grant.title)) in chain and "Paid so far" in chain
    assert (
        db.session.scalar(
            select(Link).where(Link.target_kind == "grant", Link.target_id == project_grant.id)
        )
        is None
    )
    # and back from the grant to its project
    back = _chain(client.get(f"/connections/grant/{project_grant.id}"))
    assert (
        "Projects from a residents" in back
        and "Won: it is funded" in back
        and str(escape(project.title)) in back
    )


def test_an_officer_links_a_grant_to_a_decision_and_removes_it(client, demo):
    proposal, decision, _warm = demo
    kitchen = db.session.scalar(select(Grant).where(Grant.title.like("Cook and eat%")))
    as_person(client, _who("officer"))
    page = client.get(f"/connections/grant/{kitchen.id}")
    assert page.status_code == 200 and f'value="from-decision-{decision.id}"' in page_text(page)
    # the unpublished decision (Priya is not in the commission) is not offered
    travel = db.session.scalar(
        select(Proposal).where(Proposal.title == "Travel costs paid upfront")
    )
    travel_decision = db.session.scalar(select(Decision).where(Decision.proposal_id == travel.id))
    assert f'decision-{travel_decision.id}"' not in page_text(page)

    bad = client.post(f"/connections/grant/{kitchen.id}/links", data={"choice": "", "note": "kept"})
    assert bad.status_code == 422
    assert "Choose what to link it to." in page_text(bad) and 'value="kept"' in page_text(bad)
    hidden = client.post(
        f"/connections/grant/{kitchen.id}/links",
        data={"choice": f"from-decision-{travel_decision.id}", "note": "x"},
    )
    assert hidden.status_code == 422 and "Choose one of the things in the list." in page_text(
        hidden
    )
    swapped = client.post(
        f"/connections/grant/{kitchen.id}/links",
        data={"choice": ""},
        headers={"HX-Request": "true"},
    )
    assert swapped.status_code == 422
    assert swapped.headers["HX-Retarget"] == f"#link-form-grant-{kitchen.id}"
    assert page_text(swapped).lstrip().startswith("<form")
    long = client.post(
        f"/connections/grant/{kitchen.id}/links",
        data={"choice": f"from-decision-{decision.id}", "note": "n" * 301},
    )
    assert long.status_code == 422
    assert (
        db.session.scalar(
            select(Link).where(Link.target_id == kitchen.id, Link.target_kind == "grant")
        )
        is None
    )

    made = client.post(
        f"/connections/grant/{kitchen.id}/links",
        data={"choice": f"from-decision-{decision.id}", "note": "Fed the clinic"},
    )
    assert made.status_code == 303
    link = db.session.scalar(
        select(Link).where(Link.target_kind == "grant", Link.target_id == kitchen.id)
    )
    assert (link.source_kind, link.source_id, link.note) == (
        "decision",
        decision.id,
        "Fed the clinic",
    )
    as_person(client, None)
    assert kitchen.title in _chain(client.get(f"/decisions/{proposal.id}"))

    # Someone who looks after neither end can neither add nor remove.
    as_person(client, _who("resident"))
    assert (
        client.post(
            f"/connections/grant/{kitchen.id}/links",
            data={"choice": f"from-decision-{decision.id}"},
        ).status_code
        == 404
    )
    assert client.post(f"/connections/links/{link.id}/remove").status_code == 404
    as_person(client, _who("officer"))
    link_id = link.id
    gone = client.post(f"/connections/links/{link_id}/remove", data={"on": f"grant-{kitchen.id}"})
    assert gone.status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(Link).where(Link.id == link_id)) is None


def test_what_a_person_may_not_see_is_404(client, demo):
    applied = db.session.scalar(select(Grant).where(Grant.status == "applied"))
    assert client.get(f"/connections/grant/{applied.id}").status_code == 404
    assert client.get("/connections/widget/1").status_code == 404
    assert client.get("/connections/theme/1").status_code == 404
    travel = db.session.scalar(
        select(Proposal).where(Proposal.title == "Travel costs paid upfront")
    )
    travel_decision = db.session.scalar(select(Decision).where(Decision.proposal_id == travel.id))
    assert client.get(f"/connections/decision/{travel_decision.id}").status_code == 404
    as_person(client, _who("resident"))
    assert (
        client.post(
            f"/connections/decision/{travel_decision.id}/links", data={"choice": "to-grant-1"}
        ).status_code
        == 404
    )
