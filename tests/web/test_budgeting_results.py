"""Results through the pages: officers count and publish, residents see only what is published,
every project says why it won or did not, a chart and a table, the council's decisions with
their published reasons, the anonymous ballots as a pabulib file, and who may do what (404 for
what someone may not know exists)."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from participate.audit.models import AuditEntry
from participate.budgeting import pabulib
from participate.budgeting.models import (
    Ballot,
    BallotChoice,
    Override,
    PaperBatch,
    Result,
)
from participate.columns import utcnow
from participate.extensions import db
from tests import factories as f

REASON = "The harbour trust will pay half, so the council funds it from its own budget."


@pytest.fixture
def pb():
    """A round in the results phase: one pot of £10,000, four projects, seven ballots (one of
    them on paper, checked) and two paper ballots in a batch nobody has checked yet."""
    council = f.organisation()
    rnd = f.grant_round("results", organisation_=council, rule="greedy", title="Harbour Fund")
    pot = rnd.pots[0]
    p = SimpleNamespace(
        officer=f.person("Priya Shah"),
        clerk=f.person("Sam Clerk"),
        resident=f.person("Rhys Jones"),
        facilitator=f.person("Fay Lee"),
    )
    f.member(p.officer, council, "council_officer")
    f.member(p.facilitator, rnd.space, "facilitator")
    projects = {
        "benches": f.budget_project(pot, "Benches on the prom", 4_000, ref="1"),
        "fridge": f.budget_project(pot, "Community fridge", 5_000, ref="2"),
        "mural": f.budget_project(pot, "A mural by the station", 3_000, ref="3"),
        "choir": f.budget_project(pot, "Choir music", 500, ref="4"),
    }
    picks = [
        ["benches", "fridge"],
        ["benches", "fridge"],
        ["benches", "mural"],
        ["benches"],
        ["fridge"],
        ["fridge", "mural"],
    ]
    for i, chosen in enumerate(picks):
        _ballot(pot, f"person:{1000 + i}", [projects[k] for k in chosen])
    checked = PaperBatch(
        pot_id=pot.id, entered_by_id=p.clerk.id, checked_by_id=p.officer.id, checked_at=utcnow()
    )
    waiting = PaperBatch(pot_id=pot.id, entered_by_id=p.clerk.id)
    db.session.add_all([checked, waiting])
    db.session.flush()
    _ballot(pot, "paper:checked-1", [projects["mural"]], source="paper", batch=checked)
    for n in range(2):  # not checked: must not count (they would make the mural win)
        _ballot(
            pot,
            f"paper:waiting-{n}",
            [projects["mural"], projects["choir"]],
            source="paper",
            batch=waiting,
        )
    db.session.commit()
    return SimpleNamespace(rnd=rnd, pot=pot, people=p, projects=projects)


def _ballot(pot, key, projects, source="online", batch=None):
    ballot = Ballot(
        pot_id=pot.id, voter_key=key, source=source, batch_id=batch.id if batch else None
    )
    ballot.choices = [BallotChoice(project_id=p.id, points=1) for p in projects]
    db.session.add(ballot)
    db.session.flush()
    return ballot


def _url(pb, tail: str = "") -> str:
    base = f"/rounds/{pb.rnd.space.slug}/results/"
    return base + (f"{pb.pot.id}/{tail}" if tail else "")


def _text(response) -> str:
    """The page as words, without tags, for reading what a person reads."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _results(pot_id) -> list[Result]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Result).where(Result.pot_id == pot_id).order_by(Result.id))
    )


# --- counting and publishing -----------------------------------------------------------------


def test_an_officer_counts_checks_and_publishes_and_residents_see_it_only_then(client, pb):
    f.as_person(client, pb.people.officer)
    page = client.get(_url(pb))
    assert page.status_code == 200 and "Count the votes for Whole area" in _text(page)
    assert "2 paper ballots are still waiting for a second person to check them" in _text(page)

    counted = client.post(_url(pb, "count"))
    assert counted.status_code == 303
    [result] = _results(pb.pot.id)
    assert not result.published and result.counted_by_id == pb.people.officer.id
    # Figures at count time are kept with the result: the unchecked batch is not in them.
    assert result.outcome["ballots"]["paper"] == 1 and result.outcome["ballots"]["total"] == 7
    assert result.outcome["ballots"]["waiting"] == 2
    refs = {p.ref: k for k, p in pb.projects.items()}
    assert {refs[r]: n for r, n in result.outcome["votes"].items()} == {
        "benches": 4,
        "fridge": 4,
        "mural": 3,
        "choir": 0,
    }
    # Greedy: fridge and benches tie on 4 votes, the cheaper (benches) first; the mural does
    # not fit in the £1,000 left; nobody chose the choir.
    assert [refs[r] for r in result.outcome["selected"]] == ["benches", "fridge"]

    officer_view = _text(client.get(_url(pb)))
    assert "Not published yet." in officer_view
    assert "Only council officers can see this count." in officer_view
    assert "Won: 4 votes; £10,000 of £10,000 was left when its turn came." in officer_view

    for person in (None, pb.people.resident, pb.people.facilitator):
        f.as_person(client, person)
        seen = _text(client.get(_url(pb)))
        assert "has not been published yet" in seen
        assert "Won: 4 votes" not in seen and "Not published yet." not in seen
        assert client.get(_url(pb, "download.pb")).status_code == 404

    f.as_person(client, pb.people.officer)
    assert client.post(_url(pb, "publish")).status_code == 303
    [result] = _results(pb.pot.id)
    assert (
        result.published and result.published_by_id == pb.people.officer.id and result.published_at
    )
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "budgeting.published", AuditEntry.visibility == "public")
        )
        == 1
    )

    f.as_person(client, None)
    response = client.get(_url(pb))
    public = _text(response)
    assert "Published on" in public and "Not published yet." not in public
    assert "Winners Benches on the prom · £4,000 Community fridge · £5,000" in public
    assert "Money for the winners £9,000" in public and "Money left £1,000" in public
    assert "7 ballots counted" in public
    assert "Online: 6" in public and "On paper: 1" in public
    assert "With help from a facilitator: 0" in public and "From an imported file: 0" in public
    assert "Paper ballots waiting for a check are not counted" in public
    assert "Most votes first, skipping any project that no longer fits" in public
    assert "Did not fit: it costs £3,000 and £1,000 was left when its turn came." in public
    assert "Nobody voted for it." in public
    body = response.get_data(as_text=True)
    # The chart: an image with a title and description, winners marked by more than colour.
    svg = re.search(r"<svg[^>]*>.*?</svg>", body, flags=re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="chart-' in svg
    assert "<title id=" in svg and "<desc id=" in svg and "4 · won" in svg
    assert "<script" not in svg
    # ...and the same numbers in a table with a caption.
    assert re.search(r"<caption>\s*Votes for each project: Whole area", body)
    assert re.search(r'<th scope="row">A mural by the station</th>\s*<td class="num">3</td>', body)
    assert "Download the anonymous ballots (pabulib file)" in public


def test_only_the_rounds_officers_count_and_only_in_the_results_phase(client, pb):
    outsider_officer = f.person("Olu Other")
    f.member(outsider_officer, f.organisation("Another council"), "council_officer")
    for person in (None, pb.people.resident, pb.people.facilitator, outsider_officer):
        f.as_person(client, person)
        assert client.post(_url(pb, "count")).status_code == 404
        assert client.post(_url(pb, "publish")).status_code == 404
    assert _results(pb.pot.id) == []

    f.as_person(client, pb.people.officer)
    pb.rnd.phase = "voting"
    db.session.commit()
    assert client.post(_url(pb, "count")).status_code == 404
    assert _results(pb.pot.id) == []
    # Before results the page says when they are due instead.
    from datetime import date

    pb.rnd.results_from = date(2026, 9, 14)
    db.session.commit()
    f.as_person(client, None)
    due = client.get(_url(pb))
    assert due.status_code == 200 and "Results are due from 14 September 2026" in _text(due)


def test_a_count_can_be_redone_until_it_is_published_then_it_needs_a_council_decision(client, pb):
    f.as_person(client, pb.people.officer)
    client.post(_url(pb, "count"))
    # A checked batch arrives: counting again takes it in.
    waiting = db.session.scalar(select(PaperBatch).where(PaperBatch.checked_by_id.is_(None)))
    waiting.checked_by_id, waiting.checked_at = pb.people.officer.id, utcnow()
    db.session.commit()
    client.post(_url(pb, "count"))
    first, second = _results(pb.pot.id)
    assert first.outcome["ballots"]["total"] == 7 and second.outcome["ballots"]["total"] == 9
    client.post(_url(pb, "publish"))
    again = client.post(_url(pb, "count"), follow_redirects=True)
    assert "cannot be counted again" in _text(again)
    assert len(_results(pb.pot.id)) == 2
    assert client.post(_url(pb, "publish"), follow_redirects=True).status_code == 200
    assert [r.published for r in _results(pb.pot.id)] == [False, True]


def test_paper_ballots_of_an_unchecked_batch_are_not_counted(client, pb):
    f.as_person(client, pb.people.officer)
    client.post(_url(pb, "count"))
    [result] = _results(pb.pot.id)
    choir = pb.projects["choir"].ref
    assert result.outcome["votes"][choir] == 0  # only the unchecked batch chose it
    assert result.outcome["reasons"][choir]["status"] == "no_votes"
    assert (
        db.session.scalar(
            select(func.count()).select_from(Ballot).where(Ballot.pot_id == pb.pot.id)
        )
        == 9
    )


# --- who can see ------------------------------------------------------------------------------


def test_a_members_only_round_is_invisible_to_outsiders(client, pb):
    pb.rnd.space.visibility = "members"
    member = f.person("Mo Member")
    f.member(member, pb.rnd.space, "member")
    db.session.commit()
    f.as_person(client, pb.people.officer)
    client.post(_url(pb, "count"))
    client.post(_url(pb, "publish"))
    for person in (None, pb.people.resident):
        f.as_person(client, person)
        assert client.get(_url(pb)).status_code == 404
        assert client.get(_url(pb, "download.pb")).status_code == 404
        assert client.get(_url(pb, "override")).status_code == 404
    f.as_person(client, member)
    assert "Won: 4 votes" in _text(client.get(_url(pb)))
    assert client.get(_url(pb, "download.pb")).status_code == 200


# --- the council's decisions -----------------------------------------------------------------


def _published(client, pb):
    f.as_person(client, pb.people.officer)
    client.post(_url(pb, "count"))
    client.post(_url(pb, "publish"))


def test_a_council_decision_needs_a_reason_and_is_published_next_to_the_project(client, pb):
    mural = pb.projects["mural"]
    f.as_person(client, pb.people.officer)
    # Nothing to change before a result is published.
    client.post(_url(pb, "count"))
    assert client.get(_url(pb, "override")).status_code == 404
    client.post(_url(pb, "publish"))

    form = client.get(_url(pb, "override"))
    assert form.status_code == 200 and "A mural by the station (now not funded)" in _text(form)
    short = client.post(
        _url(pb, "override"), data={"project": mural.ref, "funded": "yes", "reason": "Trust pays"}
    )
    assert short.status_code == 422
    page = _text(short)
    assert "Write at least a full sentence saying why" in page
    assert 'value="Trust pays"' not in short.get_data(as_text=True)  # textarea, not input
    assert re.search(r">\s*Trust pays</textarea>", short.get_data(as_text=True))  # kept
    empty = client.post(_url(pb, "override"), data={"project": mural.ref, "funded": "yes"})
    assert empty.status_code == 422 and "Say why the council is changing the result." in _text(
        empty
    )
    nothing = _text(client.post(_url(pb, "override"), data={"reason": REASON}))
    assert "Choose the project the council is deciding on." in nothing
    assert "Say whether the project is funded or not." in nothing
    assert "Not a valid choice" not in nothing
    same = client.post(
        _url(pb, "override"),
        data={"project": pb.projects["benches"].ref, "funded": "yes", "reason": REASON},
    )
    assert same.status_code == 422 and "This project is already funded." in _text(same)
    # htmx gets just the form back, in place.
    partial = client.post(
        _url(pb, "override"),
        headers={"HX-Request": "true"},
        data={"project": mural.ref, "funded": "yes", "reason": "no"},
    )
    assert partial.status_code == 422 and partial.headers["HX-Retarget"] == "#override-form"
    assert partial.get_data(as_text=True).lstrip().startswith('<form id="override-form"')
    assert db.session.scalar(select(func.count()).select_from(Override)) == 0

    done = client.post(
        _url(pb, "override"), data={"project": mural.ref, "funded": "yes", "reason": REASON}
    )
    assert done.status_code == 303
    decision = db.session.scalars(select(Override)).one()
    assert decision.funded and decision.by_id == pb.people.officer.id
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "budgeting.override")
        )
        == 1
    )

    f.as_person(client, None)
    public = _text(client.get(_url(pb)))
    assert f"Funded by the council's decision: {REASON} — Priya Shah," in public
    assert "The council changed this result." in public
    assert "Winners, after changes by the council" in public
    assert "A mural by the station · £3,000 · funded by the council's decision" in public
    assert "Money for the winners £12,000 (after changes by the council)" in public
    assert "None: the winners cost £2,000 more than the pot" in public

    # Nobody else may make one.
    for person in (None, pb.people.resident, pb.people.facilitator):
        f.as_person(client, person)
        assert client.get(_url(pb, "override")).status_code == 404
        assert (
            client.post(
                _url(pb, "override"), data={"project": mural.ref, "funded": "no", "reason": REASON}
            ).status_code
            == 404
        )
    assert db.session.scalar(select(func.count()).select_from(Override)) == 1


# --- the pabulib file ------------------------------------------------------------------------


def test_the_anonymous_ballots_download_as_a_pabulib_file_without_voter_keys(client, pb):
    _published(client, pb)
    f.as_person(client, None)
    response = client.get(_url(pb, "download.pb"))
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].endswith('.pb"')
    text = response.get_data(as_text=True)
    parsed = pabulib.parse(text)
    assert len(parsed.votes) == 7  # the unchecked batch is left out
    assert sorted(parsed.selected) == sorted(
        [pb.projects["benches"].ref, pb.projects["fridge"].ref]
    )
    keys = db.session.scalars(select(Ballot.voter_key)).all()
    assert keys and not any(key in text for key in keys)
    assert not any(key.split(":")[1] in {v["voter_id"] for v in parsed.votes} for key in keys)
