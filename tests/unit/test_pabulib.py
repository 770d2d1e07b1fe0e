"""Reading and writing pabulib files: a bad file names its line and nothing is used."""

from __future__ import annotations

import pytest

from participate.budgeting import pabulib

GOOD = """META
key;value
budget;100
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;votes;selected
1;60;2;1
2;50;1;0
VOTES
voter_id;vote
v1;1,2
v2;1
"""


def test_a_good_file_reads_and_counts():
    pb = pabulib.parse(GOOD)
    e = pb.election()
    assert e.budget == 100 and e.voters == 2 and pb.selected == ["1"]
    assert [dict(b) for b in e.ballots] == [{"1": 1, "2": 1}, {"1": 1}]


@pytest.mark.parametrize("change,line,words", [
    (("1;60;2;1", "1;sixty;2;1"), 8, "not a whole number"),
    (("v2;1", "v2;7"), 13, "unknown project 7"),
    (("v2;1", "v2;1,1"), 13, "names a project twice"),
    (("2;50;1;0", "1;50;1;0"), 9, "appears twice"),
    (("v2;1", "v2;1;extra"), 13, "has 3 fields where the header (line 11) has 2"),
    (("PROJECTS\n", "PROJETS\n"), 6, "PROJETS is not a section"),
])
def test_a_bad_file_names_its_line(change, line, words):
    with pytest.raises(pabulib.PabulibError) as problem:
        pabulib.parse(GOOD.replace(*change))
    assert problem.value.line == line and words in problem.value.message


def test_sections_must_come_in_order_and_the_file_must_be_whole():
    with pytest.raises(pabulib.PabulibError, match="expected the META section"):
        pabulib.parse("PROJECTS\nproject_id;cost\n")
    with pytest.raises(pabulib.PabulibError, match="ends before its VOTES"):
        pabulib.parse(GOOD.split("VOTES")[0])


def test_cumulative_points_must_match_the_projects():
    text = GOOD.replace("vote_type;approval", "vote_type;cumulative").replace(
        "voter_id;vote\nv1;1,2\nv2;1", "voter_id;vote;points\nv1;1,2;3,2\nv2;1;4,1")
    with pytest.raises(pabulib.PabulibError, match="points do not match") as problem:
        pabulib.parse(text)
    assert problem.value.line == 13


def test_writing_replaces_voter_ids_and_reads_back_the_same():
    pb = pabulib.parse(GOOD)
    text = pabulib.write(pb)
    again = pabulib.parse(text)
    assert "v1" not in text and len({row["voter_id"] for row in again.votes}) == 2
    assert [dict(b) for b in again.election().ballots] == [
        dict(b) for b in pb.election().ballots]
    assert again.meta == pb.meta and again.projects == pb.projects
