"""Who sees a story or a quote: every audience, attribution, role and state, by table.

The expectations are written out here by hand, not computed the way the rules compute them.
"""

from datetime import date
from itertools import product
from types import SimpleNamespace as NS

import pytest

from participate.stories import rules

TODAY = date(2026, 11, 22)
SPACE = 1


def member(role, status="active"):
    return NS(space_id=SPACE, organisation_id=None, role=role, status=status)


def person(pid, *memberships, admin=False):
    return NS(id=pid, is_site_admin=admin, active=True, memberships=list(memberships))


TELLER = person(1, member("community_commissioner"))
PEOPLE = {
    "teller": TELLER,
    "community": person(2, member("community_commissioner")),
    "civic": person(3, member("civic_commissioner")),
    "business": person(4, member("business_commissioner")),
    "facilitator": person(5, member("facilitator")),
    "observer": person(6, member("observer")),
    "officer": person(7, NS(space_id=None, organisation_id=10, role="council_officer",
                            status="active")),
    "admin": person(8, admin=True),
    "stranger": person(9, NS(space_id=99, organisation_id=None, role="facilitator",
                             status="active")),
    "signed_out": None,
}

# Who reads a shared, live story in the "together" phase, by audience.
SEES = {
    "only_me": {"teller"},
    "facilitators": {"teller", "facilitator"},
    "cohort": {"teller", "community", "facilitator"},
    # Members only: hosts' officers and site admins are not "everyone in the commission".
    "commission": {"teller", "community", "civic", "business", "facilitator", "observer"},
    "public": set(PEOPLE),
}
# In the community-only phase the commission itself is closed to civic, business, observers,
# officers and admins, so 'commission' stories are too; public stays public.
SEES_COMMUNITY_ONLY = {
    **SEES,
    "commission": {"teller", "community", "facilitator"},
}


def commission(phase="together"):
    return NS(space_id=SPACE, phase=phase, hosts=[NS(organisation_id=10)])


def story(**extra):
    values = dict(teller_id=TELLER.id, teller=TELLER, recorded_by_id=None, status="shared",
                  withdrawn_at=None, expires_on=None, hidden_at=None, audience="commission",
                  attribution="first_name", pseudonym=None, quoting="none",
                  leave_withdrawn_line=False)
    values.update(extra)
    return NS(**values)


@pytest.mark.parametrize("audience,attribution,phase", list(product(
    rules.AUDIENCES, rules.ATTRIBUTIONS, ["together", "community_only"])))
def test_each_role_sees_exactly_its_audience(audience, attribution, phase):
    s = story(audience=audience, attribution=attribution, pseudonym="Robin")
    c = commission(phase)
    expected = (SEES if phase == "together" else SEES_COMMUNITY_ONLY)[audience]
    seen = {name for name, p in PEOPLE.items() if rules.can_see_story(p, s, c, TODAY)}
    assert seen == expected


@pytest.mark.parametrize("state", ["draft", "withdrawn", "expired", "hidden", "expires_today"])
@pytest.mark.parametrize("audience", list(rules.AUDIENCES))
def test_only_the_teller_sees_a_story_that_is_not_live(state, audience):
    changes = {
        "draft": {"status": "draft"},
        "withdrawn": {"status": "withdrawn", "withdrawn_at": TODAY},
        "expired": {"expires_on": date(2026, 11, 1)},
        "hidden": {"hidden_at": TODAY},
        "expires_today": {"expires_on": TODAY},
    }[state]
    s = story(audience=audience, quoting="public", **changes)
    seen = {name for name, p in PEOPLE.items()
            if rules.can_see_story(p, s, commission(), TODAY)}
    # A hidden story stays readable by the facilitators, who may show it again.
    facilitators_look = state == "hidden" and audience != "only_me"
    assert seen == ({"teller", "facilitator"} if facilitators_look else {"teller"})
    for reach in ("commission", "public"):
        assert not rules.quote_allowed(s, reach, TODAY)


def test_a_gatherer_sees_the_draft_they_are_writing_down_but_not_after_it_is_shared():
    gatherer = PEOPLE["facilitator"]
    draft = story(status="draft", recorded_by_id=gatherer.id, audience="only_me")
    assert rules.can_see_story(gatherer, draft, commission(), TODAY)
    shared = story(recorded_by_id=gatherer.id, audience="only_me")
    assert not rules.can_see_story(gatherer, shared, commission(), TODAY)


@pytest.mark.parametrize("quoting,reach,allowed", [
    ("none", "commission", False), ("none", "public", False),
    ("commission", "commission", True), ("commission", "public", False),
    ("public", "commission", True), ("public", "public", True),
])
def test_quotes_follow_the_tellers_quoting_choice(quoting, reach, allowed):
    assert rules.quote_allowed(story(quoting=quoting), reach, TODAY) is allowed


def test_a_public_quote_is_seen_by_anyone_a_commission_quote_only_inside():
    c = commission()
    s = story(audience="commission", quoting="public")
    public_quote = NS(reach="public", hidden_at=None)
    inside_quote = NS(reach="commission", hidden_at=None)
    for name, p in PEOPLE.items():
        assert rules.can_see_quote(p, public_quote, s, c, TODAY), name
        inside = name in SEES["commission"]
        assert rules.can_see_quote(p, inside_quote, s, c, TODAY) is inside, name


def test_quotes_disappear_the_moment_consent_changes():
    c = commission()
    s = story(quoting="public")
    q = NS(reach="public", hidden_at=None)
    assert rules.can_see_quote(None, q, s, c, TODAY)
    s.quoting = "commission"
    assert not rules.can_see_quote(None, q, s, c, TODAY)
    s.quoting = "public"
    s.status, s.withdrawn_at = "withdrawn", TODAY
    assert not rules.can_see_quote(None, q, s, c, TODAY)
    assert not rules.can_see_quote(PEOPLE["facilitator"], q, s, c, TODAY)


def test_a_hidden_quote_is_not_shown_even_when_its_story_allows_it():
    s = story(quoting="public")
    assert not rules.can_see_quote(None, NS(reach="public", hidden_at=TODAY), s, commission(),
                                   TODAY)


def test_only_people_who_can_read_a_story_may_quote_it():
    c = commission()
    s = story(audience="cohort", quoting="commission")
    assert rules.may_quote(PEOPLE["community"], s, "commission", c, TODAY)
    assert not rules.may_quote(PEOPLE["civic"], s, "commission", c, TODAY)
    assert not rules.may_quote(PEOPLE["community"], s, "public", c, TODAY)
    public = story(audience="public", quoting="public")
    assert not rules.may_quote(None, public, "public", c, TODAY)  # outsiders don't take quotes
    assert not rules.may_quote(PEOPLE["stranger"], public, "public", c, TODAY)


@pytest.mark.parametrize("attribution,name,gatherer", [
    ("full_name", "Jade Morgan", "Sam"),
    ("first_name", "Jade", "Sam"),
    ("pseudonym", "Robin", "Sam"),
    ("anonymous", None, None),
])
def test_bylines_name_the_teller_as_they_chose(attribution, name, gatherer):
    s = story(attribution=attribution, pseudonym="Robin")
    assert rules.byline(s, "Jade Morgan", "Sam") == rules.Byline(name, gatherer)


def test_a_pseudonym_left_blank_is_anonymous():
    assert rules.byline(story(attribution="pseudonym", pseudonym="  "), "Jade", None).name is None


def test_the_withdrawn_line_shows_only_where_the_teller_chose_it():
    gone = story(status="withdrawn", withdrawn_at=TODAY, leave_withdrawn_line=True)
    assert rules.shows_withdrawn_line(gone, TODAY)
    assert not rules.shows_withdrawn_line(story(status="withdrawn", withdrawn_at=TODAY), TODAY)
    expired = story(expires_on=TODAY, leave_withdrawn_line=True)
    assert rules.shows_withdrawn_line(expired, TODAY)
    assert not rules.shows_withdrawn_line(story(leave_withdrawn_line=True), TODAY)


def test_only_the_teller_manages_their_story_and_facilitators_record_for_members():
    s = story()
    assert rules.can_manage_story(TELLER, s)
    for name in ("facilitator", "admin", "community"):
        assert not rules.can_manage_story(PEOPLE[name], s)
    c = commission()
    assert rules.can_record_for(PEOPLE["facilitator"], TELLER, c)
    assert not rules.can_record_for(PEOPLE["community"], TELLER, c)
    assert not rules.can_record_for(PEOPLE["facilitator"], PEOPLE["stranger"], c)
    assert not rules.can_record_for(PEOPLE["facilitator"], PEOPLE["facilitator"], c)


def test_the_withdrawn_line_is_for_people_in_the_commission_where_the_story_was_shared():
    gone = story(status="withdrawn", withdrawn_at=TODAY, leave_withdrawn_line=True,
                 shared_at=TODAY, audience="commission")
    c = commission()
    assert rules.sees_withdrawn_line(PEOPLE["civic"], gone, c, TODAY)
    assert not rules.sees_withdrawn_line(PEOPLE["stranger"], gone, c, TODAY)
    assert not rules.sees_withdrawn_line(None, gone, c, TODAY)
    never_shared = story(status="withdrawn", withdrawn_at=TODAY, leave_withdrawn_line=True,
                         shared_at=None)
    assert not rules.sees_withdrawn_line(PEOPLE["civic"], never_shared, c, TODAY)
    private = story(status="withdrawn", withdrawn_at=TODAY, leave_withdrawn_line=True,
                    shared_at=TODAY, audience="only_me")
    assert not rules.sees_withdrawn_line(PEOPLE["civic"], private, c, TODAY)


def test_a_call_for_support_waits_until_someone_answers_it():
    assert rules.waits_for_support(story(wants_support=True, support_acknowledged_at=None))
    assert not rules.waits_for_support(story(wants_support=True, support_acknowledged_at=TODAY))
    assert not rules.waits_for_support(story(wants_support=True, support_acknowledged_at=None,
                                             status="draft"))
    assert not rules.waits_for_support(story(wants_support=False, support_acknowledged_at=None))
