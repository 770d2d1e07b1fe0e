"""Links across features, as pure rules: which kinds lead to which, who may link, the walk."""

from types import SimpleNamespace as NS

from participate.links import rules


def test_kinds_that_may_lead_to_each_other():
    assert rules.may_lead_to("theme", "proposal")
    assert rules.may_lead_to("decision", "commitment")
    assert rules.may_lead_to("decision", "grant")
    assert rules.may_lead_to("commitment", "grant")
    assert rules.may_lead_to("pb_project", "grant")
    # a proposal leads to its decision by itself: never stored
    assert not rules.may_lead_to("proposal", "decision")
    assert not rules.may_lead_to("grant", "theme")
    assert not rules.may_lead_to("story", "theme")  # stories link through StoryLink
    assert "theme" in rules.can_come_from("proposal")
    assert "decision" in rules.can_come_from("grant")
    assert set(rules.LEADS_TO) <= set(rules.LINK_KINDS)


def test_link_problems():
    d, g = ("decision", 1), ("grant", 2)
    assert rules.link_problem(d, g) is None
    assert rules.link_problem(d, d) is not None
    assert rules.link_problem(g, ("theme", 3)) is not None
    assert "already linked" in rules.link_problem(d, g, {(d, g)})
    assert "other way" in rules.link_problem(
        ("commitment", 1), ("grant", 2), {(("grant", 2), ("commitment", 1))}
    )


def test_may_link_needs_one_end_looked_after_and_both_seen():
    assert rules.may_link(True, False, True, True)
    assert rules.may_link(False, True, True, True)
    assert not rules.may_link(False, False, True, True)
    assert not rules.may_link(True, True, True, False)


def _person(pid, *memberships, admin=False):
    return NS(id=pid, is_site_admin=admin, active=True, memberships=list(memberships))


def test_who_manages_each_kind_asks_its_feature():
    org = NS(id=9)
    fund = NS(space=NS(organisation_id=9, id=5, visibility="public"))
    officer = _person(
        1, NS(space_id=None, organisation_id=9, role="council_officer", status="active")
    )
    resident = _person(2, NS(space_id=5, organisation_id=None, role="resident", status="active"))
    assert rules.manages(officer, "grant", fund)
    assert not rules.manages(resident, "grant", fund)
    assert not rules.manages(None, "grant", fund)
    assert not rules.manages(officer, "story", org)  # stories: on the story's own page
    circle = NS(space_id=7, kind="group", commission=None)
    facilitator = _person(
        3, NS(space_id=7, organisation_id=None, role="facilitator", status="active")
    )
    member = _person(4, NS(space_id=7, organisation_id=None, role="resident", status="active"))
    assert rules.manages(facilitator, "decision", circle)
    assert not rules.manages(member, "decision", circle)


def _graph(edges):
    """edges: (source, target, note) -> a neighbours function, as links.chain gives one."""

    def neighbours(node, direction):
        if direction == "forward":
            return [(t, n) for s, t, n in edges if s == node]
        return [(s, n) for s, t, n in edges if t == node]

    return neighbours


STORY, THEME, PROP, DEC = ("story", 1), ("theme", 1), ("proposal", 1), ("decision", 1)
GRANT, COMMIT = ("grant", 1), ("commitment", 1)
CHAIN = [
    (STORY, THEME, "why"),
    (THEME, PROP, None),
    (PROP, DEC, None),
    (DEC, GRANT, "paid"),
    (DEC, COMMIT, None),
]


def test_walk_goes_back_to_the_roots_and_forward_to_what_happened():
    walked = rules.walk(DEC, _graph(CHAIN), lambda n: True)
    assert [s.node for s in walked.before] == [PROP, THEME, STORY]
    assert [s.node for s in walked.after] == [COMMIT, GRANT]
    assert next(s for s in walked.after if s.node == GRANT).note == "paid"
    from_story = rules.walk(STORY, _graph(CHAIN), lambda n: True)
    assert from_story.before == ()
    assert [s.node for s in from_story.after] == [THEME, PROP, DEC, COMMIT, GRANT]


def test_walk_passes_hidden_things_without_showing_them_or_their_notes():
    hidden = {THEME, PROP}
    walked = rules.walk(DEC, _graph(CHAIN), lambda n: n not in hidden)
    assert [s.node for s in walked.before] == [STORY]
    story = walked.before[0]
    assert story.via == DEC and story.note is None  # "why" joined it to the hidden theme
    shut = rules.walk(DEC, _graph(CHAIN), lambda n: n not in hidden, passable=lambda n: False)
    assert shut.before == ()


def test_walk_ends_on_a_loop_and_stops_at_its_depth():
    loop = [(("decision", 1), ("commitment", 1), None), (("commitment", 1), ("decision", 1), None)]
    walked = rules.walk(("decision", 1), _graph(loop), lambda n: True)
    assert walked.nodes().count(("commitment", 1)) == 1
    long = [(("commitment", i), ("commitment", i + 1), None) for i in range(20)]
    far = rules.walk(("commitment", 0), _graph(long), lambda n: True, max_depth=3)
    assert [s.node[1] for s in far.after] == [1, 2, 3]


def test_stories_are_ends_not_ways_through():
    edges = [(("story", 1), ("theme", 1), None), (("story", 1), ("decision", 9), None)]
    walked = rules.walk(("theme", 1), _graph(edges), lambda n: True)
    assert [s.node for s in walked.before] == [("story", 1)]
    assert walked.after == ()


def test_grouped_and_choices():
    steps = [rules.Step(GRANT, 1, DEC, None), rules.Step(STORY, 2, DEC, None)]
    assert [k for k, _ in rules.grouped(steps)] == ["story", "grant"]
    assert rules.parse_choice("to-grant-12") == ("to", "grant", 12)
    assert rules.parse_choice("from-theme-3") == ("from", "theme", 3)
    assert rules.parse_choice("to-story-3") is None
    assert rules.parse_choice("sideways-grant-1") is None
    assert rules.parse_choice("to-grant-x") is None
    assert rules.choice_value("to", "grant", 12) == "to-grant-12"
