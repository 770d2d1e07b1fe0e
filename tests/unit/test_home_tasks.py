from types import SimpleNamespace as NS

from participate.web.home import tasks_for


def _person(*memberships, admin=False, access_needs=None):
    return NS(id=1, is_site_admin=admin, access_needs=access_needs, memberships=list(memberships))


SPACE = NS(id=1, slug="ptc", name="Porthaven PTC")
ORG = NS(id=10, slug="council", name="Porthaven Council")


def test_facilitator_is_asked_to_look_after_their_people():
    m = NS(space_id=1, organisation_id=None, role="facilitator", status="active")
    endpoints = [t.endpoint for t in tasks_for(_person(m, access_needs="x"), {1: SPACE}, {})]
    assert endpoints == ["spaces.show", "spaces.add_person", "spaces.invite"]


def test_commissioner_meets_their_commission_and_is_asked_about_access_needs():
    m = NS(space_id=1, organisation_id=None, role="community_commissioner", status="active")
    tasks = tasks_for(_person(m), {1: SPACE}, {})
    assert [t.endpoint for t in tasks] == ["spaces.show", "accounts.profile"]
    assert tasks[0].name == "Porthaven PTC"


def test_officer_sees_their_organisation_and_admin_the_log():
    m = NS(space_id=None, organisation_id=10, role="council_officer", status="active")
    tasks = tasks_for(_person(m, admin=True, access_needs="x"), {}, {10: ORG})
    assert [t.endpoint for t in tasks] == ["audit.log", "admin.index", "spaces.organisation"]


def test_left_spaces_are_not_on_the_list():
    m = NS(space_id=1, organisation_id=None, role="facilitator", status="left")
    assert tasks_for(_person(m, access_needs="x"), {1: SPACE}, {}) == []
