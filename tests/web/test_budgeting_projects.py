"""Project ideas through the pages: the list by pot, suggesting an idea (with a clean picture),
changing and withdrawing it, the officers' check and the author's reply, comments and hiding
one, offers to join up or work together; and who may see or do each (404 for what a person
may not know exists)."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import select

from participate.audit.models import AuditEntry
from participate.budgeting.models import (
    BudgetProject,
    ProjectComment,
    ProjectImage,
    ProjectOffer,
)
from participate.budgeting.projects import next_ref
from participate.columns import utcnow
from participate.extensions import db
from tests import factories as f

GPS_IFD = 0x8825


@pytest.fixture
def pb():
    council = f.organisation("Porthaven Council")
    rnd = f.grant_round(
        "ideas",
        organisation_=council,
        pots=((10_000, "Whole area"), (5_000, "Young people")),
        area_kind="ward",
        area_name="Northside ward",
        who_proposes="residents",
        title="Northside Fund",
    )
    people = {
        "officer": f.person("Priya Officer"),
        "sam": f.person("Sam Facilitator"),
        "ann": f.person("Ann Author"),
        "bob": f.person("Bob Neighbour"),
        "cat": f.person("Cat Resident"),
    }
    f.member(people["officer"], council, "council_officer")
    f.member(people["sam"], rnd.space, "facilitator")
    whole, young = rnd.pots
    projects = {
        "benches": f.budget_project(
            whole,
            "Benches on the prom",
            2_000,
            status="proposed",
            author=people["ann"],
            what="Six benches with backs.",
        ),
        "trees": f.budget_project(
            whole,
            "Trees on Mill Lane",
            3_000,
            status="proposed",
            author=people["bob"],
            group_name="Mill Lane Residents",
        ),
        "ramps": f.budget_project(
            young, "Skate ramps", 4_000, status="proposed", author=people["cat"]
        ),
    }
    db.session.commit()
    return rnd, people, projects


def _base(rnd) -> str:
    return f"/rounds/{rnd.space.slug}/projects"


def _page(rnd, project) -> str:
    return f"{_base(rnd)}/{project.id}"


def _idea(rnd, **changes) -> dict:
    data = {
        "pot_id": str(rnd.pots[0].id),
        "title": "A community fridge",
        "what": "A fridge at the Hub where shops leave food for anyone.",
        "where_text": "Northside Community Hub",
        "who_for": "Anyone who needs food",
        "cost": "£2,500",
        "hope": "Less food thrown away, and nobody going hungry.",
        "group_name": "",
        "image_alt": "",
        "declaration": "y",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _actions(name: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == name)))


def _jpeg_with_gps(size=(64, 48)) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (50.0, 7.0, 12.5), 3: "W", 4: (5.0, 3.0, 1.0)}
    out = BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, "JPEG", exif=exif)
    return out.getvalue()


# --- references ------------------------------------------------------------------------------


def test_next_ref_takes_the_next_free_number_in_the_pot():
    assert next_ref(1, []) == "1-1"
    assert next_ref(1, ["P7", "1-1", "1-4", "2-9"]) == "1-5"
    assert next_ref(2, ["1-3", "x"]) == "2-1"


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_each_pot_with_cost_status_who_and_comments(client, pb):
    rnd, people, projects = pb
    db.session.add(
        ProjectComment(
            project_id=projects["benches"].id, author_id=people["bob"].id, body="Yes please"
        )
    )
    db.session.add(
        ProjectComment(
            project_id=projects["benches"].id,
            author_id=people["cat"].id,
            body="And one by the bus stop",
        )
    )
    db.session.commit()
    page = f.page_text(client.get(f"{_base(rnd)}/"))
    assert "Whole area" in page and "Young people" in page
    assert "Benches on the prom" in page and "£2,000" in page
    assert "Waiting to be checked" in page
    assert "Ann Author" in page
    assert "Mill Lane Residents" in page  # a group's idea shows the group's name
    benches = page[page.index(f'id="project-{projects["benches"].id}"') :]
    assert "<dt>Comments</dt><dd>2</dd>" in benches[:1500]
    # Signed out, ideas open: an invitation to sign in, not the button.
    assert "Sign in to suggest a project" in page and "/projects/new" not in page


def test_the_list_filters_by_pot_and_status_and_shows_joined_projects(client, pb):
    rnd, people, projects = pb
    projects["trees"].status = "merged"
    projects["trees"].merged_into_id = projects["benches"].id
    db.session.commit()
    young = f.page_text(client.get(f"{_base(rnd)}/?pot={rnd.pots[1].id}"))
    assert "Skate ramps" in young and "Benches on the prom" not in young
    merged = f.page_text(client.get(f"{_base(rnd)}/?status=merged"))
    assert (
        "Trees on Mill Lane" in merged
        and "Benches on the prom" not in merged.split("Trees on Mill Lane")[0]
    )
    assert "Joined with" in merged
    assert f'href="{_page(rnd, projects["benches"])}"' in merged
    other = f.grant_round("ideas")
    db.session.commit()
    assert client.get(f"{_base(rnd)}/?pot={other.pots[0].id}").status_code == 404


def test_the_suggest_button_follows_the_rules(client, pb):
    rnd, people, _projects = pb
    f.as_person(client, people["cat"])
    assert "/projects/new" in f.page_text(client.get(f"{_base(rnd)}/"))
    rnd.phase = "feasibility"
    db.session.commit()
    page = f.page_text(client.get(f"{_base(rnd)}/"))
    assert "/projects/new" not in page and "Sign in to suggest" not in page
    assert client.get(f"{_base(rnd)}/new").status_code == 404


# --- suggesting an idea ----------------------------------------------------------------------


def test_a_resident_suggests_an_idea(client, pb):
    rnd, people, _projects = pb
    f.as_person(client, people["cat"])
    form = f.page_text(client.get(f"{_base(rnd)}/new"))
    assert "I live, work or study in Northside ward" in form
    assert 'enctype="multipart/form-data"' in form
    response = client.post(f"{_base(rnd)}/new", data=_idea(rnd, group_name="Hub Friends"))
    assert response.status_code == 303
    made = db.session.scalar(
        select(BudgetProject).where(BudgetProject.title == "A community fridge")
    )
    assert response.headers["Location"] == _page(rnd, made)
    assert (made.status, made.cost, made.author_id, made.ref) == (
        "proposed",
        2_500,
        people["cat"].id,
        "1-1",
    )
    assert made.group_name == "Hub Friends" and made.hope.startswith("Less food")
    assert made.proposed_cost is None
    assert [e.object_id for e in _actions("budgeting.project_proposed")] == [made.id]
    again = client.post(f"{_base(rnd)}/new", data=_idea(rnd, title="A second fridge"))
    assert again.status_code == 303
    second = db.session.scalar(
        select(BudgetProject).where(BudgetProject.title == "A second fridge")
    )
    assert second.ref == "1-2"
    page = f.page_text(client.get(_page(rnd, made)))
    assert "A community fridge" in page and "£2,500" in page and "Hub Friends" in page


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        ("lots", "Write the cost as a whole number, without pence"),
        ("12.50", "Write the cost as a whole number, without pence"),
        ("0", "The cost must be more than nothing."),
        ("", "Give a rough cost"),
        ("10001", "That is more than the whole pot (£10,000)"),
    ],
)
def test_a_bad_cost_is_explained_next_to_it_and_nothing_is_lost(client, pb, cost, message):
    rnd, people, _projects = pb
    f.as_person(client, people["cat"])
    response = client.post(f"{_base(rnd)}/new", data=_idea(rnd, cost=cost))
    page = f.page_text(response)
    assert response.status_code == 422
    assert 'id="cost-error"' in page and message in page
    assert "A fridge at the Hub where shops leave food for anyone." in page
    assert 'value="Northside Community Hub"' in page
    assert (
        db.session.scalar(select(BudgetProject).where(BudgetProject.title == "A community fridge"))
        is None
    )


def test_missing_answers_the_pot_and_the_tick_are_each_asked_for(client, pb):
    rnd, people, _projects = pb
    f.as_person(client, people["cat"])
    response = client.post(
        f"{_base(rnd)}/new", data=_idea(rnd, title="", what="", pot_id="", declaration=None)
    )
    page = f.page_text(response)
    assert response.status_code == 422
    assert "Give your idea a name." in page and "Say what your idea is." in page
    assert "Choose which pot it is for." in page
    assert "Tick this to say you live, work or study in the area." in page
    assert 'value="Anyone who needs food"' in page  # what was typed stays


def test_no_tick_is_asked_when_anyone_may_suggest(client, pb):
    rnd, people, _projects = pb
    rnd.who_proposes = "anyone"
    db.session.commit()
    f.as_person(client, people["cat"])
    assert "I live, work or study" not in f.page_text(client.get(f"{_base(rnd)}/new"))
    response = client.post(f"{_base(rnd)}/new", data=_idea(rnd, declaration=None))
    assert response.status_code == 303


def test_a_picture_is_kept_without_its_location(client, pb):
    rnd, people, _projects = pb
    f.as_person(client, people["cat"])
    raw = _jpeg_with_gps()
    assert GPS_IFD in Image.open(BytesIO(raw)).getexif()
    response = client.post(
        f"{_base(rnd)}/new",
        data=_idea(
            rnd,
            image=(BytesIO(raw), "fridge.jpg"),
            image_alt="An empty corner of the Hub's kitchen",
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    made = db.session.scalar(
        select(BudgetProject).where(BudgetProject.title == "A community fridge")
    )
    image = db.session.scalars(select(ProjectImage).where(ProjectImage.project_id == made.id)).one()
    page = f.page_text(client.get(_page(rnd, made)))
    src = f"{_page(rnd, made)}/images/{image.id}"
    assert f'src="{src}"' in page and 'alt="An empty corner of the Hub&#39;s kitchen"' in page
    served = client.get(src)
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    got = Image.open(BytesIO(served.data))
    assert got.size == (64, 48)
    assert len(got.getexif()) == 0 and "exif" not in got.info
    assert b"PhoneMaker" not in served.data
    # The same picture is not to be found under another project, or another round.
    other = f.budget_project(rnd.pots[0], "Other")
    db.session.commit()
    assert client.get(f"{_page(rnd, other)}/images/{image.id}").status_code == 404


def test_a_file_that_is_not_a_picture_is_refused_with_a_message(client, pb):
    rnd, people, _projects = pb
    f.as_person(client, people["cat"])
    response = client.post(
        f"{_base(rnd)}/new",
        data=_idea(rnd, image=(BytesIO(b"%PDF-1.4 pretend"), "plan.jpg"), image_alt="A plan"),
        content_type="multipart/form-data",
    )
    page = f.page_text(response)
    assert response.status_code == 422
    assert 'id="image-error"' in page and "This file is not a picture we can use" in page
    assert 'value="A plan"' in page and 'value="A community fridge"' in page
    assert db.session.scalar(select(ProjectImage.id)) is None


def test_a_picture_needs_words_saying_what_it_shows(client, pb):
    rnd, people, _projects = pb
    f.as_person(client, people["cat"])
    response = client.post(
        f"{_base(rnd)}/new",
        data=_idea(rnd, image=(BytesIO(_jpeg_with_gps()), "a.jpg")),
        content_type="multipart/form-data",
    )
    page = f.page_text(response)
    assert response.status_code == 422
    assert "Say what the picture shows" in page
    assert "choose it again" in page  # the file box cannot be refilled: say so


@pytest.mark.parametrize("phase", ["draft", "feasibility", "voting"])
def test_nobody_suggests_outside_the_ideas_phase(client, pb, phase):
    rnd, people, _projects = pb
    rnd.phase = phase
    db.session.commit()
    for who in ("cat", "officer"):
        f.as_person(client, people[who])
        assert client.get(f"{_base(rnd)}/new").status_code == 404
        assert client.post(f"{_base(rnd)}/new", data=_idea(rnd)).status_code == 404


def test_signed_out_people_are_asked_to_sign_in_to_suggest(client, pb):
    rnd, _people, _projects = pb
    response = client.post(f"{_base(rnd)}/new", data=_idea(rnd))
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert (
        db.session.scalar(select(BudgetProject).where(BudgetProject.title == "A community fridge"))
        is None
    )


def test_a_members_only_round_is_invisible_to_outsiders(client):
    council = f.organisation()
    rnd = f.grant_round("ideas", visibility="members", organisation_=council)
    member, outsider, author = f.person("Mo Member"), f.person("Olly Outsider"), f.person("Al")
    f.member(member, rnd.space, "resident")
    f.member(author, rnd.space, "resident")
    project = f.budget_project(rnd.pots[0], "Secret garden", author=author, status="proposed")
    db.session.add(
        ProjectImage(
            project_id=project.id,
            alt_text="A gate",
            content_type="image/png",
            data=b"\x89PNG",
            width=1,
            height=1,
        )
    )
    db.session.commit()
    image = db.session.scalar(select(ProjectImage.id))
    urls = [
        f"{_base(rnd)}/",
        _page(rnd, project),
        f"{_page(rnd, project)}/images/{image}",
        f"{_base(rnd)}/new",
    ]
    for who in (None, outsider):
        f.as_person(client, who)
        for url in urls:
            if who is None and url.endswith("/new"):
                # Signed out: asked to sign in, as for any address, so nothing is given away.
                assert client.get(url).status_code == 302
                continue
            assert client.get(url).status_code == 404, (who, url)
        if who is not None:
            assert (
                client.post(f"{_page(rnd, project)}/comments", data={"body": "hello"}).status_code
                == 404
            )
    f.as_person(client, member)
    assert "Secret garden" in f.page_text(client.get(f"{_base(rnd)}/"))
    assert client.get(_page(rnd, project)).status_code == 200


def test_a_draft_rounds_projects_are_seen_only_by_its_officers(client, pb):
    rnd, people, projects = pb
    rnd.phase = "draft"
    db.session.commit()
    for who in (None, people["ann"], people["sam"]):
        f.as_person(client, who)
        assert client.get(_page(rnd, projects["benches"])).status_code == 404
    f.as_person(client, people["officer"])
    assert client.get(_page(rnd, projects["benches"])).status_code == 200


def test_a_project_of_another_round_is_not_found_here(client, pb):
    rnd, people, _projects = pb
    elsewhere = f.grant_round("ideas")
    theirs = f.budget_project(
        elsewhere.pots[0], "Elsewhere", author=people["ann"], status="proposed"
    )
    db.session.commit()
    f.as_person(client, people["ann"])
    assert client.get(f"{_base(rnd)}/{theirs.id}").status_code == 404
    assert client.get(f"{_base(rnd)}/{theirs.id}/edit").status_code == 404
    assert client.post(f"{_base(rnd)}/{theirs.id}/comments", data={"body": "x"}).status_code == 404
    assert client.get(f"{_base(rnd)}/999999").status_code == 404


# --- changing and withdrawing ----------------------------------------------------------------


def test_the_author_changes_their_idea_and_others_cannot(client, pb):
    rnd, people, projects = pb
    benches = projects["benches"]
    url = f"{_page(rnd, benches)}/edit"
    for who in (None, people["bob"], people["sam"]):
        f.as_person(client, who)
        assert client.post(url, data=_idea(rnd, title="Hacked")).status_code in (302, 404)
    assert benches.title == "Benches on the prom"
    f.as_person(client, people["ann"])
    form = f.page_text(client.get(url))
    assert 'value="Benches on the prom"' in form and 'value="2000"' in form
    assert "I live, work or study" not in form and 'name="pot_id"' not in form
    response = client.post(url, data=_idea(rnd, title="Benches with backs", cost="2200"))
    assert response.status_code == 303
    db.session.refresh(benches)
    assert (benches.title, benches.cost, benches.ref) == ("Benches with backs", 2_200, benches.ref)
    assert _actions("budgeting.project_changed")
    bad = client.post(url, data=_idea(rnd, title="", cost="nine"))
    assert bad.status_code == 422 and "Give your idea a name." in f.page_text(bad)
    benches.status = "feasible"  # once checked, the author no longer changes it
    db.session.commit()
    assert client.get(url).status_code == 404


def _picture(project, alt: str) -> ProjectImage:
    image = ProjectImage(
        project_id=project.id,
        alt_text=alt,
        content_type="image/png",
        data=b"not really a png",
        width=4,
        height=3,
    )
    db.session.add(image)
    db.session.flush()
    return image


def test_the_author_removes_a_picture_and_a_mistake_elsewhere_keeps_the_tick(client, pb):
    rnd, people, projects = pb
    benches = projects["benches"]
    old = _picture(benches, "The old bench by the lifeboat station")
    kept = _picture(benches, "The view from the prom")
    db.session.commit()
    old_id, kept_id = old.id, kept.id
    url = f"{_page(rnd, benches)}/edit"
    tick = {"remove_image": str(old_id)}
    # Someone who may not change the idea cannot remove its pictures either.
    for who in (None, people["bob"], people["sam"]):
        f.as_person(client, who)
        assert client.post(url, data=_idea(rnd, **tick)).status_code in (302, 404)
    assert db.session.get(ProjectImage, old_id) is not None

    f.as_person(client, people["ann"])
    form = f.page_text(client.get(url))
    assert "Remove this picture: The old bench by the lifeboat station" in form
    assert f'name="remove_image" value="{old_id}"' in form
    assert f'name="remove_image" value="{old_id}" id="remove-image-{old_id}" checked' not in form
    # A mistake in another field: nothing is removed, and the tick is still there.
    bad = client.post(url, data=_idea(rnd, title="", **tick))
    assert bad.status_code == 422
    page = f.page_text(bad)
    assert f'value="{old_id}" id="remove-image-{old_id}" checked' in page
    assert f'value="{kept_id}" id="remove-image-{kept_id}">' in page
    db.session.expire_all()
    assert db.session.get(ProjectImage, old_id) is not None

    done = client.post(url, data=_idea(rnd, title="Benches on the prom", **tick))
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(ProjectImage, old_id) is None
    assert [i.id for i in db.session.get(BudgetProject, benches.id).images] == [kept_id]
    assert client.get(f"{_page(rnd, benches)}/images/{old_id}").status_code == 404
    entry = _actions("budgeting.project_changed")[-1]
    assert entry.detail == {"pictures_removed": [old_id]}
    # A number that is not one of this idea's pictures removes nothing.
    other = _picture(projects["ramps"], "Ramps")
    db.session.commit()
    other_id = other.id
    assert client.post(url, data=_idea(rnd, remove_image=str(other_id))).status_code == 303
    db.session.expire_all()
    assert db.session.get(ProjectImage, other_id) is not None


def test_the_author_withdraws_their_idea(client, pb):
    rnd, people, projects = pb
    benches = projects["benches"]
    url = f"{_page(rnd, benches)}/withdraw"
    f.as_person(client, people["bob"])
    assert client.post(url).status_code == 404
    f.as_person(client, people["ann"])
    assert "Withdraw this idea" in f.page_text(client.get(_page(rnd, benches)))
    assert client.post(url).status_code == 303
    db.session.refresh(benches)
    assert benches.status == "withdrawn"
    assert "Withdrawn by its author" in f.page_text(client.get(_page(rnd, benches)))
    assert client.post(url).status_code == 404  # once is enough


# --- the officers' check and the author's reply ----------------------------------------------


def test_an_officer_says_it_cannot_go_ahead_with_a_reason_everyone_sees(client, pb):
    rnd, people, projects = pb
    trees = projects["trees"]
    url = f"{_page(rnd, trees)}/feasibility"
    f.as_person(client, people["officer"])
    assert "Check this idea" in f.page_text(client.get(_page(rnd, trees)))
    missing = client.post(url, data={"verdict": "not_feasible", "reason": ""})
    assert missing.status_code == 422 and "Say why, so the author understands." in f.page_text(
        missing
    )
    done = client.post(
        url, data={"verdict": "not_feasible", "reason": "Mill Lane is a private road."}
    )
    assert done.status_code == 303
    db.session.refresh(trees)
    assert trees.status == "not_feasible"
    assert trees.feasibility_reason == "Mill Lane is a private road."
    assert trees.feasibility_by_id == people["officer"].id and trees.feasibility_at is not None
    assert _actions("budgeting.project_checked")
    for who in (None, people["bob"], people["cat"]):
        f.as_person(client, who)
        page = f.page_text(client.get(_page(rnd, trees)))
        assert "Cannot go to the vote" in page and "Mill Lane is a private road." in page
        assert "Check this idea" not in page


def test_an_officer_adjusts_the_cost_with_a_note_and_the_first_figure_stays(client, pb):
    rnd, people, projects = pb
    benches = projects["benches"]
    url = f"{_page(rnd, benches)}/feasibility"
    f.as_person(client, people["officer"])
    no_note = client.post(
        url, data={"verdict": "feasible", "reason": "We can do it.", "cost": "3000"}
    )
    assert no_note.status_code == 422 and "Say why the cost is different." in f.page_text(no_note)
    assert 'value="3000"' in f.page_text(no_note)
    bad = client.post(
        url, data={"verdict": "feasible", "reason": "x", "cost": "lots", "cost_note": "y"}
    )
    assert bad.status_code == 422 and "whole number" in f.page_text(bad)
    ok = client.post(
        url,
        data={
            "verdict": "feasible",
            "reason": "We can do it.",
            "cost": "3,000",
            "cost_note": "Benches need foundations.",
        },
    )
    assert ok.status_code == 303
    db.session.refresh(benches)
    assert (benches.cost, benches.proposed_cost, benches.cost_note) == (
        3_000,
        2_000,
        "Benches need foundations.",
    )
    client.post(
        url,
        data={
            "verdict": "feasible",
            "reason": "We can do it.",
            "cost": "3500",
            "cost_note": "And fixings.",
        },
    )
    db.session.refresh(benches)
    assert (benches.cost, benches.proposed_cost) == (3_500, 2_000)
    page = f.page_text(client.get(_page(rnd, benches)))
    assert "The author suggested £2,000; the council's estimate is £3,500 because:" in page
    assert "And fixings." in page


@pytest.mark.parametrize("who", [None, "ann", "bob", "sam"])
def test_only_officers_check_ideas(client, pb, who):
    rnd, people, projects = pb
    f.as_person(client, people.get(who) if who else None)
    response = client.post(
        f"{_page(rnd, projects['benches'])}/feasibility",
        data={"verdict": "feasible", "reason": "Fine"},
    )
    assert response.status_code in ((302,) if who is None else (404,))
    assert projects["benches"].status == "proposed"


def test_no_checking_once_voting_has_started(client, pb):
    rnd, people, projects = pb
    rnd.phase = "voting"
    db.session.commit()
    f.as_person(client, people["officer"])
    assert "Check this idea" not in f.page_text(client.get(_page(rnd, projects["benches"])))
    assert (
        client.post(
            f"{_page(rnd, projects['benches'])}/feasibility",
            data={"verdict": "feasible", "reason": "Fine"},
        ).status_code
        == 404
    )


def test_the_author_replies_to_the_check_in_place(client, pb):
    rnd, people, projects = pb
    trees = projects["trees"]
    url = f"{_page(rnd, trees)}/reply"
    f.as_person(client, people["bob"])
    assert client.post(url, data={"reply": "Too soon"}).status_code == 404  # not checked yet
    trees.status, trees.feasibility_reason = "not_feasible", "A private road."
    db.session.commit()
    for who in (people["ann"], people["officer"]):
        f.as_person(client, who)
        assert client.post(url, data={"reply": "Not mine"}).status_code == 404
    f.as_person(client, people["bob"])
    empty = client.post(url, data={"reply": ""}, headers={"HX-Request": "true"})
    assert empty.status_code == 422
    assert f.page_text(empty).lstrip().startswith('<section id="verdict"')
    assert "Write your reply." in f.page_text(empty)
    swapped = client.post(
        url, data={"reply": "We'll ask the landowner."}, headers={"HX-Request": "true"}
    )
    assert swapped.status_code == 200
    fragment = f.page_text(swapped)
    assert fragment.lstrip().startswith('<section id="verdict"') and "<html" not in fragment
    assert "We&#39;ll ask the landowner." in fragment
    plain = client.post(url, data={"reply": "Asked them."})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("#verdict")
    db.session.refresh(trees)
    assert trees.author_reply == "Asked them."


# --- comments --------------------------------------------------------------------------------


def test_comments_are_added_with_and_without_htmx(client, pb):
    rnd, people, projects = pb
    url = f"{_page(rnd, projects['benches'])}/comments"
    assert client.post(url, data={"body": "Hello"}).status_code == 302  # sign in first
    f.as_person(client, people["cat"])
    plain = client.post(url, data={"body": "One by the bus stop too, please."})
    assert plain.status_code == 303 and "#comment-" in plain.headers["Location"]
    swapped = client.post(url, data={"body": "And a bin."}, headers={"HX-Request": "true"})
    fragment = f.page_text(swapped)
    assert swapped.status_code == 200 and "<html" not in fragment
    assert fragment.lstrip().startswith('<section id="comments"')
    assert "One by the bus stop too, please." in fragment and "And a bin." in fragment
    assert 'id="comment-form"' in fragment
    empty = client.post(url, data={"body": "  "}, headers={"HX-Request": "true"})
    assert empty.status_code == 422 and "Write your comment." in f.page_text(empty)
    long = client.post(url, data={"body": "x" * 2001})
    assert long.status_code == 422 and "2000 characters or fewer" in f.page_text(long)
    assert ("x" * 2001) in f.page_text(long)  # nothing lost
    assert len(_actions("budgeting.comment_added")) == 2


def test_no_comments_once_the_results_are_out(client, pb):
    rnd, people, projects = pb
    rnd.phase = "results"
    db.session.commit()
    f.as_person(client, people["cat"])
    assert 'id="comment-form"' not in f.page_text(client.get(_page(rnd, projects["benches"])))
    assert (
        client.post(
            f"{_page(rnd, projects['benches'])}/comments", data={"body": "Late"}
        ).status_code
        == 404
    )


def test_a_hidden_comment_shows_its_reason_and_its_words_only_to_a_few(client, pb):
    rnd, people, projects = pb
    benches = projects["benches"]
    rude = ProjectComment(
        project_id=benches.id, author_id=people["bob"].id, body="Something unkind about a neighbour"
    )
    db.session.add(rude)
    db.session.commit()
    url = f"{_page(rnd, benches)}/comments/{rude.id}/hide"
    for who in ("ann", "cat"):
        f.as_person(client, people[who])
        assert client.post(url, data={f"hide{rude.id}-reason": "x"}).status_code == 404
    f.as_person(client, people["officer"])
    missing = client.post(url, data={f"hide{rude.id}-reason": ""})
    assert missing.status_code == 422 and "Say why it is hidden." in f.page_text(missing)
    done = client.post(url, data={f"hide{rude.id}-reason": "It names a neighbour."})
    assert done.status_code == 303
    db.session.refresh(rude)
    assert rude.hidden_by_id == people["officer"].id and rude.hidden_at is not None
    assert _actions("budgeting.comment_hidden")
    for who, sees in (
        (None, False),
        ("cat", False),
        ("ann", False),
        ("bob", True),
        ("officer", True),
        ("sam", True),
    ):
        f.as_person(client, people[who] if who else None)
        page = f.page_text(client.get(_page(rnd, benches)))
        assert "Hidden by the council: It names a neighbour." in page
        assert ("Something unkind about a neighbour" in page) is sees, who
    assert client.post(url, data={f"hide{rude.id}-reason": "again"}).status_code == 404


def test_a_facilitator_hides_a_comment_in_place(client, pb):
    rnd, people, projects = pb
    note = ProjectComment(
        project_id=projects["ramps"].id, author_id=people["bob"].id, body="Phone me on 07700 900123"
    )
    db.session.add(note)
    db.session.commit()
    f.as_person(client, people["sam"])
    response = client.post(
        f"{_page(rnd, projects['ramps'])}/comments/{note.id}/hide",
        data={f"hide{note.id}-reason": "A phone number."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Hidden by the council: A phone number." in f.page_text(response)


# --- offers ----------------------------------------------------------------------------------


def _offer(client, rnd, from_project, to_project, kind="merge", message="Shall we join up?"):
    return client.post(
        f"{_page(rnd, from_project)}/offers",
        data={"to_project_id": str(to_project.id), "kind": kind, "message": message},
    )


def _answer(client, rnd, project, offer, answer, note=""):
    return client.post(
        f"{_page(rnd, project)}/offers/{offer.id}/answer",
        data={f"offer{offer.id}-answer": answer, f"offer{offer.id}-note": note},
    )


def test_an_accepted_merge_joins_one_idea_into_the_other(client, pb):
    rnd, people, projects = pb
    benches, trees = projects["benches"], projects["trees"]
    f.as_person(client, people["ann"])
    page = f.page_text(client.get(_page(rnd, benches)))
    assert "Offer to team up" in page and "Trees on Mill Lane" in page
    assert "Skate ramps" not in page.split("offer-form")[-1]  # another pot: not offered
    assert _offer(client, rnd, benches, projects["ramps"]).status_code == 422
    missing = _offer(client, rnd, benches, trees, message="")
    assert missing.status_code == 422 and "Write a message to its author." in f.page_text(missing)
    assert _offer(client, rnd, benches, trees).status_code == 303
    made = db.session.scalars(select(ProjectOffer)).one()
    assert (made.kind, made.status, made.by_id) == ("merge", "open", people["ann"].id)
    # Not answerable by the one who made it, nor by anyone else.
    for who in ("ann", "cat", "officer"):
        f.as_person(client, people[who])
        assert _answer(client, rnd, trees, made, "accept").status_code == 404
    f.as_person(client, people["bob"])
    assert "Shall we join up?" in f.page_text(client.get(_page(rnd, trees)))
    assert _answer(client, rnd, trees, made, "accept", "Welcome aboard").status_code == 303
    db.session.refresh(made)
    db.session.refresh(benches)
    assert made.status == "accepted" and made.answer_note == "Welcome aboard"
    assert benches.status == "merged" and benches.merged_into_id == trees.id
    assert _actions("budgeting.offer_accepted")
    page = f.page_text(client.get(_page(rnd, benches)))
    assert "Joined with" in page and f'href="{_page(rnd, trees)}"' in page
    assert "Joined into this project:" in f.page_text(client.get(_page(rnd, trees)))


def test_an_accepted_partnership_keeps_both_and_says_so_on_both(client, pb):
    rnd, people, projects = pb
    benches, trees = projects["benches"], projects["trees"]
    f.as_person(client, people["bob"])
    assert _offer(client, rnd, trees, benches, kind="partner").status_code == 303
    again = _offer(client, rnd, trees, benches, kind="partner")
    assert again.status_code in (404, 422)  # one open offer between two projects
    made = db.session.scalars(select(ProjectOffer)).one()
    f.as_person(client, people["ann"])
    assert _answer(client, rnd, benches, made, "").status_code == 422
    assert _answer(client, rnd, benches, made, "accept").status_code == 303
    db.session.refresh(benches)
    db.session.refresh(trees)
    assert benches.status == trees.status == "proposed"
    for one, other in ((benches, trees), (trees, benches)):
        page = f.page_text(client.get(_page(rnd, one)))
        assert "Working with" in page and f'href="{_page(rnd, other)}"' in page
    assert "Working with" in f.page_text(client.get(f"{_base(rnd)}/"))


def test_an_offer_declined_or_withdrawn(client, pb):
    rnd, people, projects = pb
    benches, trees = projects["benches"], projects["trees"]
    f.as_person(client, people["ann"])
    _offer(client, rnd, benches, trees)
    made = db.session.scalars(select(ProjectOffer)).one()
    f.as_person(client, people["bob"])
    assert client.post(f"{_page(rnd, benches)}/offers/{made.id}/withdraw").status_code == 404
    assert _answer(client, rnd, trees, made, "decline", "Ours is different").status_code == 303
    db.session.refresh(made)
    assert made.status == "declined" and made.answer_note == "Ours is different"
    assert benches.status == "proposed"
    f.as_person(client, people["ann"])
    assert "Ours is different" in f.page_text(client.get(_page(rnd, benches)))
    _offer(client, rnd, benches, trees, kind="partner", message="Then work together?")
    second = db.session.scalar(select(ProjectOffer).where(ProjectOffer.status == "open"))
    assert client.post(f"{_page(rnd, benches)}/offers/{second.id}/withdraw").status_code == 303
    db.session.refresh(second)
    assert second.status == "withdrawn"
    f.as_person(client, people["bob"])
    assert _answer(client, rnd, trees, second, "accept").status_code == 404


def test_no_offers_once_voting_starts(client, pb):
    rnd, people, projects = pb
    rnd.phase = "voting"
    db.session.commit()
    f.as_person(client, people["ann"])
    assert "Offer to team up" not in f.page_text(client.get(_page(rnd, projects["benches"])))
    assert _offer(client, rnd, projects["benches"], projects["trees"]).status_code == 404


def test_pictures_over_5_mb_are_refused_with_a_message(client, pb):
    rnd, people, _projects = pb
    f.as_person(client, people["cat"])
    # Just over 5 MB: the words come back as typed, the picture is refused next to its box.
    over = b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024)
    response = client.post(
        f"{_base(rnd)}/new",
        data=_idea(rnd, image=(BytesIO(over), "big.jpg"), image_alt="Big"),
        content_type="multipart/form-data",
    )
    page = f.page_text(response)
    assert response.status_code == 422
    assert "This picture is bigger than 5 MB." in page and 'value="A community fridge"' in page
    # Far too big to read at all: still a page that says why, not a bare error.
    huge = b"\x00" * (8 * 1024 * 1024)
    response = client.post(
        f"{_base(rnd)}/new",
        data=_idea(rnd, image=(BytesIO(huge), "huge.jpg"), image_alt="Huge"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "This picture is bigger than 5 MB." in f.page_text(response)
    assert (
        db.session.scalar(select(BudgetProject).where(BudgetProject.title == "A community fridge"))
        is None
    )


def test_a_hidden_comment_can_be_shown_again_by_those_who_hide_comments(client, pb):
    rnd, people, projects = pb
    benches = projects["benches"]
    hidden = ProjectComment(
        project_id=benches.id,
        author_id=people["bob"].id,
        body="Meet me at the bus stop",
        hidden_reason="Looked like a phone number.",
        hidden_by_id=people["officer"].id,
        hidden_at=utcnow(),
    )
    shown = ProjectComment(project_id=benches.id, author_id=people["bob"].id, body="Yes please")
    db.session.add_all([hidden, shown])
    db.session.commit()
    url = f"{_page(rnd, benches)}/comments/{hidden.id}/show"
    # Voters, the comment's author and visitors may not; they do not see the button either.
    for who in (None, "ann", "cat", "bob"):
        f.as_person(client, people[who] if who else None)
        assert "Show it again" not in f.page_text(client.get(_page(rnd, benches)))
        assert client.post(url).status_code in (302, 404), who  # 302: sign in first
    db.session.refresh(hidden)
    assert hidden.hidden_at is not None
    # A comment that is not hidden, or belongs to another project, is not there to show.
    f.as_person(client, people["officer"])
    assert client.post(f"{_page(rnd, benches)}/comments/{shown.id}/show").status_code == 404
    other = f"{_page(rnd, projects['ramps'])}/comments/{hidden.id}/show"
    assert client.post(other).status_code == 404

    page = f.page_text(client.get(_page(rnd, benches)))
    assert "Show it again" in page
    done = client.post(url)
    assert done.status_code == 303 and f"#comment-{hidden.id}" in done.headers["Location"]
    db.session.refresh(hidden)
    assert (hidden.hidden_at, hidden.hidden_by_id, hidden.hidden_reason) == (None, None, None)
    (entry,) = _actions("budgeting.comment_shown")
    assert entry.detail == {
        "comment": hidden.id,
        "was_hidden_because": "Looked like a phone number.",
    }
    f.as_person(client, people["cat"])
    page = f.page_text(client.get(_page(rnd, benches)))
    assert "Meet me at the bus stop" in page and "Hidden by the council" not in page
    # Shown already: there is nothing to show again.
    f.as_person(client, people["sam"])
    assert client.post(url).status_code == 404


def test_a_facilitator_shows_a_comment_again_in_place(client, pb):
    rnd, people, projects = pb
    note = ProjectComment(
        project_id=projects["ramps"].id,
        author_id=people["bob"].id,
        body="Skating on Sundays?",
        hidden_reason="Off topic, we thought.",
        hidden_by_id=people["sam"].id,
        hidden_at=utcnow(),
    )
    db.session.add(note)
    db.session.commit()
    f.as_person(client, people["sam"])
    response = client.post(
        f"{_page(rnd, projects['ramps'])}/comments/{note.id}/show",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = f.page_text(response)
    assert fragment.lstrip().startswith('<section id="comments"')
    assert "Skating on Sundays?" in fragment and "Hidden by the council" not in fragment
