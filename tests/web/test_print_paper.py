"""Print and paper: numbered paper ballots and consent cards, printed as a page and as a PDF,
that come back through the existing paper-entry screens.

The round trips read the PDFs the way a person would: the ballot numbers, project numbers and
names are taken from the PDF's text (pypdf), some boxes are "ticked", and the papers are typed
in through the paper-entry forms by one person and checked by another before they count.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from participate.audit.models import AuditEntry
from participate.budgeting import counting, numbering
from participate.budgeting.models import PaperBatch
from participate.clock import local_today
from participate.decisions import steps
from participate.decisions.models import ConsentResponse, Proposal
from participate.extensions import db
from tests import factories as f

# --- the numbering rules ---------------------------------------------------------------------


def test_numbers_are_printed_as_the_entry_screen_takes_them():
    assert numbering.serial(42) == "0042" and numbering.serial(12345) == "12345"
    assert numbering.serials(9, 3) == ["0009", "0010", "0011"]
    assert numbering.whole(" 1,200 ") == 1200 and numbering.whole("x") is None


def test_print_problems_say_what_to_change():
    def fields(problems):
        return {(p.field, p.message % p.params) for p in problems}

    assert numbering.print_problems("1", "50", []) == []
    assert fields(numbering.print_problems("", "0", [])) == {
        ("first", "Write the first number as a whole number, like 1."),
        ("count", "Print between 1 and 200 ballots at a time."),
    }
    assert fields(numbering.print_problems("999990", "20", [])) == {
        ("count", "That goes past 999,999: print fewer ballots."),
    }
    # Numbers already typed in for the pot are not printed again; typed words are ignored.
    (problem,) = numbering.print_problems("5", "10", ["0007", "0012", "BOX-3"])
    assert problem.field == "first" and problem.params == {"serial": "0007", "next": 13}
    assert numbering.print_problems("13", "10", ["0007", "0012"]) == []


def test_the_next_print_starts_after_every_number_printed_or_entered():
    printed = [numbering.Printed(1, 50, "Sam", None), numbering.Printed(51, 60, "Sam", None)]
    assert numbering.next_first([], []) == 1
    assert numbering.next_first(printed, ["0003"]) == 61
    assert numbering.next_first(printed[:1], ["0070", "HUB-1"]) == 71


# --- paper ballots ---------------------------------------------------------------------------


@pytest.fixture
def world(app):
    today = local_today()
    council = f.organisation("Porthaven Council")
    rnd = f.grant_round(
        "voting",
        organisation_=council,
        pots=((10_000, "Whole area"), (5_000, "Young people")),
        ballot_type="approval",
        min_picks=1,
        max_picks=2,
        area_name="Northside ward",
        vote_age_from=16,
        voting_from=today - timedelta(days=3),
        results_from=today + timedelta(days=10),
    )
    whole, young = rnd.pots
    p = {
        "benches": f.budget_project(whole, "Benches by the harbour", 4_000, ref="1-1"),
        "fridge": f.budget_project(whole, "Community fridge", 3_000, ref="1-2"),
        "wifi": f.budget_project(whole, "Free wifi", 45_000, ref="1-3", status="not_feasible"),
        "crossing": f.budget_project(whole, "Safe crossing", 5_000, ref="1-4"),
        "ramps": f.budget_project(young, "Skate ramps", 2_000, ref="2-1"),
    }
    people = {name: f.person(name) for name in ("Priya", "Sam", "Tess", "Rhys", "Olu")}
    f.member(people["Priya"], council, "council_officer")
    f.member(people["Sam"], rnd.space, "facilitator")
    f.member(people["Tess"], rnd.space, "facilitator")
    f.member(people["Rhys"], rnd.space, "resident")
    # Olu runs another council's round: an officer, but not of this one.
    other_council = f.organisation("Other Council")
    other = f.grant_round("voting", organisation_=other_council)
    f.member(people["Olu"], other_council, "council_officer")
    f.member(people["Olu"], other.space, "facilitator")
    db.session.commit()
    return rnd, p, people


def _url(rnd, tail: str = "") -> str:
    return f"/rounds/{rnd.space.slug}/{tail}"


def _print(client, rnd, pot, first, count, pdf=True):
    tail = "paper/print.pdf" if pdf else "paper/print"
    return client.get(_url(rnd, tail), query_string={"pot": pot.id, "first": first, "count": count})


def _pdf_pages(response) -> list[str]:
    assert response.status_code == 200, f.page_text(response)[:500]
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages]


PROJECT_LINE = re.compile(r"^(\d+-\d+) (.+) £([\d,]+)$", re.MULTILINE)


def _read_ballot(text: str) -> tuple[str, dict[str, str]]:
    """What a person reads on one printed ballot: its number, and project number -> title."""
    (serial,) = re.findall(r"Ballot number: (\S+)", text)
    return serial, {code: title for code, title, _cost in PROJECT_LINE.findall(text)}


ENTRY_BOX = re.compile(
    r'name="choice" value="(\d+)" id="choice-\d+"[^>]*>\s*<label for="choice-\d+">'
    r'<strong class="project-ref">([^<]+)</strong> (.+?): '
)


def _entry_boxes(html: str) -> dict[str, tuple[str, str]]:
    """The entry screen's boxes, in order: the project number each is labelled with, as on
    the paper -> (the value it sends, the title beside the number)."""
    return {code: (value, title) for value, code, title in ENTRY_BOX.findall(html)}


def _batch(client, rnd, pot) -> PaperBatch:
    response = client.post(
        _url(rnd, "paper/new"), data={"pot_id": str(pot.id), "note": "Printed ballots, library"}
    )
    assert response.status_code == 303, f.page_text(response)[:500]
    db.session.expire_all()
    return db.session.scalars(select(PaperBatch).order_by(PaperBatch.id.desc())).first()


def test_printed_ballots_round_trip_through_paper_entry(client, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    f.as_person(client, people["Sam"])
    page = f.page_text(client.get(_url(rnd, "paper/")))
    assert "Print numbered ballots" in page
    assert 'name="first" type="text" value="1"' in page

    pages = _pdf_pages(_print(client, rnd, whole, 1, 3))
    assert len(pages) == 3  # one ballot on each page
    papers = [_read_ballot(text) for text in pages]
    assert [serial for serial, _ in papers] == ["0001", "0002", "0003"]
    for text, (_serial, projects) in zip(pages, papers, strict=True):
        assert "Neighbourhood Fund · Whole area" in text
        assert "Tick between 1 and 2 projects." in text
        assert "Northside ward" in text and "16 or older" in text
        # Only the projects on the online ballot, in its order.
        assert list(projects) == ["1-1", "1-2", "1-4"]
        assert "Free wifi" not in text and "Skate ramps" not in text

    # Voters tick boxes: the first paper the first project, and so on.
    codes = list(papers[0][1])
    ticks = {"0001": [codes[0]], "0002": [codes[1], codes[2]], "0003": [codes[2]]}

    batch = _batch(client, rnd, whole)
    boxes = _entry_boxes(f.page_text(client.get(_url(rnd, f"paper/{batch.id}"))))
    # The person typing in finds each box by the number on the paper, in the paper's order.
    assert list(boxes) == codes
    assert {code: title for code, (_value, title) in boxes.items()} == papers[0][1]
    for serial, _projects in papers:
        chosen = [boxes[code][0] for code in ticks[serial]]
        response = client.post(
            _url(rnd, f"paper/{batch.id}"), data={"serial": serial, "choice": chosen}
        )
        assert response.status_code == 303, f.page_text(response)[:800]

    # The same printed number cannot be entered twice.
    again = client.post(
        _url(rnd, f"paper/{batch.id}"),
        data={"serial": "0002", "choice": [boxes[codes[0]][0]]},
    )
    assert again.status_code == 422
    assert f"Ballot 0002 is already entered in batch {batch.id}." in f.page_text(again)
    # Typed without its leading zeros, it is still the same paper.
    unpadded = client.post(
        _url(rnd, f"paper/{batch.id}"),
        data={"serial": "2", "choice": [boxes[codes[0]][0]]},
    )
    assert unpadded.status_code == 422
    assert f"Ballot 0002 is already entered in batch {batch.id}." in f.page_text(unpadded)

    assert counting.election_for(whole, rnd).ballots == ()  # not until someone else checks
    f.as_person(client, people["Tess"])
    assert client.post(_url(rnd, f"paper/{batch.id}/check")).status_code == 303
    db.session.expire_all()
    counted = counting.election_for(whole, rnd).ballots
    assert sorted(sorted(b) for b in counted) == sorted(sorted(t) for t in ticks.values())
    assert counting.ballot_figures(whole)["paper"] == 3

    # The paper page remembers what was printed and suggests where to start next.
    page = f.page_text(client.get(_url(rnd, "paper/")))
    assert "Whole area: ballots 0001 to 0003, printed by Sam" in page
    assert 'name="first" type="text" value="4"' in page
    printed = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "budgeting.ballots_printed")
    ).all()
    assert [(e.detail["first"], e.detail["last"], e.actor_id) for e in printed] == [
        (1, 3, people["Sam"].id)
    ]


def test_the_print_page_shows_the_same_ballots(client, world):
    rnd, _p, people = world
    f.as_person(client, people["Priya"])
    response = _print(client, rnd, rnd.pots[1], 7, 2, pdf=False)
    assert response.status_code == 200
    html = f.page_text(response)
    assert "Ballot papers 0007 to 0008" in html
    assert html.count('class="paper-ballot"') == 2
    assert "<strong>0007</strong>" in html and "<strong>0008</strong>" in html
    assert "Skate ramps" in html and "Benches" not in html
    assert f"print.pdf?pot={rnd.pots[1].id}&amp;first=7&amp;count=2" in html
    assert 'href="/static/css/paper-print.css"' in html


def test_bad_numbers_come_back_next_to_the_field_with_everything_kept(client, world):
    rnd, p, people = world
    whole = rnd.pots[0]
    f.as_person(client, people["Sam"])
    for pdf in (False, True):
        response = _print(client, rnd, whole, "ten", "500", pdf=pdf)
        assert response.status_code == 422
        html = f.page_text(response)
        assert 'id="first-error"' in html and "Write the first number as a whole number" in html
        assert 'id="count-error"' in html and "Print between 1 and 200 ballots" in html
        assert 'value="ten"' in html and 'value="500"' in html
        assert f'<option selected value="{whole.id}">' in html
    response = client.get(
        _url(rnd, "paper/print"), query_string={"pot": "", "first": 1, "count": 1}
    )
    assert response.status_code == 422
    assert "Choose the pot the ballots are for." in f.page_text(response)

    # A number already typed in for the pot is not printed again.
    batch = _batch(client, rnd, whole)
    client.post(
        _url(rnd, f"paper/{batch.id}"), data={"serial": "0005", "choice": [str(p["fridge"].id)]}
    )
    response = _print(client, rnd, whole, 1, 10)
    assert response.status_code == 422
    assert "Ballot 0005 is already entered for this pot. Start at 6 or later" in f.page_text(
        response
    )
    assert _print(client, rnd, rnd.pots[1], 1, 10).status_code == 200  # another pot: its own
    printed = db.session.scalars(
        select(AuditEntry.detail).where(AuditEntry.action == "budgeting.ballots_printed")
    ).all()
    assert printed == [{"pot": rnd.pots[1].id, "first": 1, "last": 10}]  # refusals print nothing


@pytest.mark.parametrize(
    "settings, words",
    [
        (
            {"ballot_type": "knapsack", "min_spend_percent": 50},
            [
                "Together they must cost no more than £10,000.",
                "Choose at least £5,000 worth.",
                "Your tick",
            ],
        ),
        (
            {"ballot_type": "cumulative", "points": 10, "min_picks": None, "max_picks": None},
            ["You have 10 points to share out.", "more than 10 points in all", "Your points"],
        ),
        ({"min_picks": None, "max_picks": 3}, ["Tick up to 3 projects."]),
    ],
)
def test_each_kind_of_ballot_says_how_to_fill_it_in(client, world, settings, words):
    rnd, _p, people = world
    for key, value in settings.items():
        setattr(rnd, key, value)
    db.session.commit()
    f.as_person(client, people["Priya"])
    (text,) = _pdf_pages(_print(client, rnd, rnd.pots[0], 1, 1))
    flat = " ".join(text.split())
    for said in words:
        assert said in flat


def test_cumulative_ballots_round_trip_with_points(client, world):
    rnd, _p, people = world
    rnd.ballot_type, rnd.points, rnd.min_picks, rnd.max_picks = "cumulative", 10, None, None
    whole = rnd.pots[0]
    db.session.commit()
    f.as_person(client, people["Sam"])
    (text,) = _pdf_pages(_print(client, rnd, whole, 20, 1))
    serial, projects = _read_ballot(text)
    written = {list(projects)[0]: 7, list(projects)[2]: 3}  # what the voter wrote in the boxes
    batch = _batch(client, rnd, whole)
    html = f.page_text(client.get(_url(rnd, f"paper/{batch.id}")))
    # Each box is labelled with the project's number and title, as on the paper.
    fields = re.findall(r'<label for="(points-\d+)">Points for (\S+) (.+?) <span', html)
    by_code = {code: name for name, code, _title in fields}
    assert {code: title for _name, code, title in fields} == projects
    data = {"serial": serial, **{by_code[c]: str(n) for c, n in written.items()}}
    assert client.post(_url(rnd, f"paper/{batch.id}"), data=data).status_code == 303
    f.as_person(client, people["Tess"])
    client.post(_url(rnd, f"paper/{batch.id}/check"))
    db.session.expire_all()
    assert counting.election_for(whole, rnd).ballots == (written,)


def test_only_those_who_enter_paper_ballots_print_them(client, world):
    rnd, _p, people = world
    whole = rnd.pots[0]
    for person in (None, people["Rhys"], people["Olu"]):
        f.as_person(client, person)
        for pdf in (False, True):
            assert _print(client, rnd, whole, 1, 5, pdf=pdf).status_code == 404
    assert (
        db.session.scalar(
            select(AuditEntry.id).where(AuditEntry.action == "budgeting.ballots_printed")
        )
        is None
    )
    # Before voting nobody enters paper ballots, so nothing is printed either.
    rnd.phase = "feasibility"
    db.session.commit()
    f.as_person(client, people["Priya"])
    assert _print(client, rnd, whole, 1, 5).status_code == 404


def test_once_voting_is_over_the_page_says_why_nothing_is_printed(client, world):
    rnd, _p, people = world
    rnd.phase = "results"
    db.session.commit()
    f.as_person(client, people["Priya"])
    page = f.page_text(client.get(_url(rnd, "paper/")))
    assert "Voting has closed, so no more ballots can be printed." in page
    assert 'id="print-form"' not in page
    for pdf in (False, True):
        response = _print(client, rnd, rnd.pots[0], 1, 5, pdf=pdf)
        assert response.status_code == 409
        assert "Voting has closed, so no more ballots can be printed." in f.page_text(response)


# --- consent cards ---------------------------------------------------------------------------

PROPOSAL = {
    "title": "A named contact at the council",
    "driver": "People get passed from desk to desk when they ring about arrears.",
    "text": "Each commissioner who rings gets one named person who calls them back.",
    "red_lines": "No one is asked to prove they are poor.",
    "review_on": (date.today() + timedelta(days=180)).isoformat(),
    "quorum_percent": "67",
}


@pytest.fixture
def circle(app):
    c = f.commission(phase="action")
    p = {
        key: f.person(name)
        for key, name in [
            ("sam", "Sam Taylor"),
            ("tess", "Tess Hall"),
            ("jade", "Jade Morgan"),
            ("kim", "Kim Lee"),
            ("owen", "Owen Price"),
            ("fatima", "Fatima Khan"),
            ("olu", "Olu Ade"),
            ("rhys", "Rhys Jones"),
        ]
    }
    f.member(p["sam"], c.space, "facilitator")
    f.member(p["tess"], c.space, "facilitator")
    for key in ("jade", "kim"):
        f.member(p[key], c.space, "community_commissioner")
    f.member(p["owen"], c.space, "civic_commissioner")
    f.member(p["fatima"], c.space, "business_commissioner")
    f.member(p["olu"], c.space, "observer")
    db.session.commit()
    return c, p


def _base(c) -> str:
    return f"/decide/{c.space.slug}"


def _proposal() -> Proposal:
    db.session.expire_all()
    return db.session.scalars(select(Proposal)).one()


def _to_consent(client, c, p) -> int:
    f.as_person(client, p["jade"])
    client.post(f"{_base(c)}/new", data=PROPOSAL)
    pid = _proposal().id
    f.as_person(client, p["sam"])
    for action in ("open_clarifying", "open_reaction", "open_consent"):
        response = client.post(f"{_base(c)}/{pid}/step", data={"action": action})
        assert response.status_code == 303
    return pid


ANSWER_LINE = re.compile(
    r"^\s*(Green|Amber|Red): (I consent|I stand aside|I object)$", re.MULTILINE
)


def _read_card(text: str) -> tuple[str, dict[str, str]]:
    """What is on one card: the name it is for, and each answer's words -> its card colour."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    name = lines[lines.index(next(x for x in lines if x.endswith("· Consent card"))) + 1]
    return name, {words: colour.lower() for colour, words in ANSWER_LINE.findall(text)}


def _cards_from_pdf(response) -> list[tuple[str, dict[str, str]]]:
    text = "\n".join(_pdf_pages(response))
    chunks = re.split(r"(?=^.*· Consent card$)", text, flags=re.MULTILINE)
    return [_read_card(chunk) for chunk in chunks if "· Consent card" in chunk]


def test_printed_consent_cards_round_trip_through_the_cards_page(client, circle):
    c, p = circle
    pid = _to_consent(client, c, p)
    f.as_person(client, p["kim"])  # Kim answers online: no card for her
    client.post(f"{_base(c)}/{pid}/answers", data={"answer": "consent"})

    f.as_person(client, p["sam"])
    entry = f.page_text(client.get(f"{_base(c)}/{pid}/cards"))
    assert f"{_base(c)}/{pid}/cards/print" in entry
    response = client.get(f"{_base(c)}/{pid}/cards/print.pdf")
    text = " ".join(" ".join(_pdf_pages(response)).split())
    assert "Proposal: A named contact at the council (version 1)" in text
    assert "Your reason (needed if you object):" in text
    cards = _cards_from_pdf(response)
    # One card for each member who decides and has not answered; never facilitators/observers.
    assert [name for name, _ in cards] == ["Fatima Khan", "Jade Morgan", "Owen Price"]
    for _name, answers in cards:
        assert answers == {"I consent": "green", "I stand aside": "amber", "I object": "red"}

    # The members tick their cards; the facilitator types them in as they read them.
    ticked = {"Fatima Khan": "I consent", "Jade Morgan": "I consent", "Owen Price": "I stand aside"}
    ids = dict(
        re.findall(
            r'<legend>([^<]+)</legend>\s*<div class="choices">\s*'
            r'<div class="choice"><input type="radio" id="card-(\d+)-',
            entry,
        )
    )
    data = {}
    for name, answers in cards:
        data[f"card-{ids[name]}"] = answers[ticked[name]]
    data[f"reason-{ids['Owen Price']}"] = "Away for the first month"
    response = client.post(f"{_base(c)}/{pid}/cards", data=data)
    assert response.status_code == 303
    paper = db.session.scalars(
        select(ConsentResponse).where(ConsentResponse.source == "paper")
    ).all()
    assert len(paper) == 3 and not any(r.counts for r in paper)

    f.as_person(client, p["tess"])  # a second facilitator checks them against the cards
    assert client.post(f"{_base(c)}/{pid}/cards/check").status_code == 303
    db.session.expire_all()
    answers = {
        r.person.chosen_name: (r.answer, r.counts)
        for r in db.session.scalars(select(ConsentResponse))
    }
    assert answers == {
        "Kim Lee": ("consent", True),
        "Fatima Khan": ("consent", True),
        "Jade Morgan": ("consent", True),
        "Owen Price": ("stand_aside", True),
    }
    # Now that they count, the proposal can be agreed.
    response = client.post(f"{_base(c)}/{pid}/step", data={"action": "adopt"})
    assert response.status_code == 303 and _proposal().state == "adopted"


def test_the_card_print_page_shows_the_same_cards(client, circle):
    c, p = circle
    pid = _to_consent(client, c, p)
    f.as_person(client, p["kim"])
    client.post(f"{_base(c)}/{pid}/answers", data={"answer": "consent"})
    f.as_person(client, p["tess"])
    html = f.page_text(client.get(f"{_base(c)}/{pid}/cards/print"))
    assert html.count('class="consent-card"') == 3
    for words in ("Green: I consent", "Amber: I stand aside", "Red: I object", "card-colour--red"):
        assert words in html
    assert "No card for those who have already answered: Kim Lee." in html
    assert f"{_base(c)}/{pid}/cards/print.pdf" in html


def test_only_facilitators_print_cards_and_only_in_an_open_consent_round(client, circle):
    c, p = circle
    f.as_person(client, p["jade"])
    client.post(f"{_base(c)}/new", data=PROPOSAL)
    pid = _proposal().id
    f.as_person(client, p["sam"])
    assert client.get(f"{_base(c)}/{pid}/cards/print").status_code == 404  # no consent round
    for action in ("open_clarifying", "open_reaction", "open_consent"):
        client.post(f"{_base(c)}/{pid}/step", data={"action": action})
    assert client.get(f"{_base(c)}/{pid}/cards/print").status_code == 200

    outsider = f.person("Someone Else")
    db.session.commit()
    for person in (p["kim"], p["olu"], p["rhys"], outsider):
        f.as_person(client, person)
        for tail in ("cards/print", "cards/print.pdf"):
            assert client.get(f"{_base(c)}/{pid}/{tail}").status_code == 404, (person, tail)
    f.as_person(client, None)  # signed out: asked to sign in, as on every decisions page
    response = client.get(f"{_base(c)}/{pid}/cards/print.pdf")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    f.as_person(client, p["kim"])
    assert "cards/print" not in f.page_text(client.get(f"{_base(c)}/{pid}/cards"))

    rnd = _proposal().current_round
    rnd.closes_at = rnd.opened_at  # the deadline has passed
    db.session.commit()
    assert not steps.round_open(rnd)
    f.as_person(client, p["sam"])
    for tail in ("cards/print", "cards/print.pdf"):
        response = client.get(f"{_base(c)}/{pid}/{tail}")
        assert response.status_code == 409
        assert "This round has closed" in f.page_text(response)
