"""``flask demo``: a believable place to explore, loaded once and left alone after that."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from participate.accounts import auth, tokens
from participate.accounts.models import Membership, Organisation, Person, Space
from participate.audit import record
from participate.budgeting import demo as budgeting_demo
from participate.clock import local_today
from participate.commissions import demo as commission_demo
from participate.decisions import demo as decision_demo
from participate.extensions import db
from participate.grants import demo as grants_demo
from participate.links import demo as links_demo
from participate.notices import demo as notices_demo
from participate.stories import demo as story_demo

DEMO_PASSWORD = "porthaven-demo"  # noqa: S105 - the documented demo password  # nosec B105
DOMAIN = "porthaven.example"

# (email name, chosen name, pronouns, what the account shows)
ACCOUNTS = [
    ("admin", "Alex", "they/them", "Site admin"),
    ("officer", "Priya", "she/her", "Council officer"),
    ("finance", "Tom", "he/him", "Finance approver"),
    ("facilitator", "Sam", "she/her", "Facilitator"),
    ("community", "Jade", "she/her", "Community commissioner"),
    ("civic", "Owen", "he/him", "Civic commissioner"),
    ("business", "Fatima", "she/her", "Business commissioner"),
    ("panel", "Gwen", None, "Grant panel member"),
    ("resident", "Rhys", "he/him", "Resident"),
]


def demo_sign_ins() -> list[tuple[str, str]]:
    return [(f"{key}@{DOMAIN}", label) for key, _n, _p, label in ACCOUNTS]


def _person(key: str, name: str, pronouns: str | None, **extra) -> Person:
    person = Person(
        email=f"{key}@{DOMAIN}" if key else None, chosen_name=name, pronouns=pronouns, **extra
    )
    if key:
        auth.set_password(person, DEMO_PASSWORD)
    db.session.add(person)
    return person


def load() -> bool:
    """Create the demo place. Returns False when it is already there."""
    if db.session.scalar(select(Organisation).where(Organisation.slug == "porthaven-council")):
        return False
    council = Organisation(
        slug="porthaven-council",
        name="Porthaven Council",
        kind="council",
        description="The council for Porthaven and the villages around it.",
    )
    hub = Organisation(
        slug="northside-community-hub",
        name="Northside Community Hub",
        kind="community_group",
        description="A community centre, food pantry and tenants' network.",
    )
    commission = Space(
        slug="porthaven-poverty-truth-commission",
        name="Porthaven Poverty Truth Commission",
        kind="commission",
        organisation=hub,
        visibility="members",
        description="People who know poverty first-hand, working with people "
        "who run things in Porthaven, so that decisions change.",
    )
    fund = Space(
        slug="northside-neighbourhood-fund",
        name="Northside Neighbourhood Fund",
        kind="grant_round",
        organisation=council,
        visibility="public",
        description="Residents of Northside decide together how to spend £40,000 "
        "on ideas for the area.",
    )
    tenants = Space(
        slug="northside-tenants-group",
        name="Northside Tenants' Group",
        kind="group",
        organisation=hub,
        visibility="members",
        description="Tenants of the Northside estate meet on the first Tuesday.",
    )
    db.session.add_all([council, hub, commission, fund, tenants])

    people = {key: _person(key, name, pronouns) for key, name, pronouns, _ in ACCOUNTS}
    people["admin"].is_site_admin = True
    people[
        "community"
    ].access_needs = "Large print please. I need to leave by half two for the school run."
    people["resident"].language = "cy"
    # People a facilitator added, who sign in with a paper code.
    dot = _person(
        "",
        "Dot",
        None,
        notification_choice="none",
        access_needs="Step-free access; I use a wheelchair. A lift home after evening sessions.",
    )
    kayleigh = _person("", "Kayleigh", "she/her", notification_choice="none")
    bernie = _person("", "Bernie", "he/him", notification_choice="none")
    helen = _person("helen", "Helen", "she/her")
    db.session.flush()

    memberships = [
        (people["officer"], council, "council_officer", None),
        (people["finance"], council, "finance_approver", None),
        (people["facilitator"], commission, "facilitator", "relationships"),
        (people["community"], commission, "community_commissioner", None),
        (dot, commission, "community_commissioner", None),
        (kayleigh, commission, "community_commissioner", None),
        (bernie, commission, "community_commissioner", None),
        (people["civic"], commission, "civic_commissioner", None),
        (helen, commission, "civic_commissioner", None),
        (people["business"], commission, "business_commissioner", None),
        (people["facilitator"], tenants, "facilitator", None),
        (dot, tenants, "resident", None),
        (people["panel"], fund, "grant_panel_member", None),
        (people["resident"], fund, "resident", None),
        (people["community"], fund, "resident", None),
    ]
    for person, where, role, focus in memberships:
        scope = {"organisation": where} if isinstance(where, Organisation) else {"space": where}
        db.session.add(Membership(person=person, role=role, focus=focus, **scope))
    db.session.flush()
    bernie_membership = next(m for m in bernie.memberships if m.space_id == commission.id)
    bernie_membership.status = "stepping_back"

    for person in (dot, kayleigh, bernie):
        tokens.issue("paper_code", person=person, created_by=people["facilitator"])
        record(
            "account.created_without_email",
            f"Made an account for {person.chosen_name} in {commission.name}",
            person,
            space=commission,
            visibility="space",
            actor=people["facilitator"],
            on_behalf_of=person,
        )
    the_commission = commission_demo.load(
        commission,
        [hub, council],
        {**people, "dot": dot, "kayleigh": kayleigh, "bernie": bernie, "helen": helen},
        local_today(),
    )
    story_demo.load(
        the_commission,
        {**people, "dot": dot, "kayleigh": kayleigh},
        local_today(),
    )
    decision_demo.load(
        the_commission,
        {**people, "dot": dot, "kayleigh": kayleigh, "helen": helen},
        local_today(),
    )
    budgeting_demo.load(
        council,
        fund,
        {**people, "dot": dot, "kayleigh": kayleigh, "bernie": bernie, "helen": helen},
        local_today(),
    )
    grants_demo.load(
        council,
        {**people, "dot": dot, "kayleigh": kayleigh, "bernie": bernie, "helen": helen},
        local_today(),
    )
    links_demo.load(local_today())  # a whole chain, from stories to a grant paid
    notices_demo.load()  # news waiting to be emailed
    record("demo.loaded", "Loaded the demo place", council, visibility="public")
    db.session.commit()
    return True


@click.command("demo")
@with_appcontext
def demo_command():
    """Load the demo place (once) and print the demo sign-ins."""
    created = load()
    click.echo("Loaded the demo place." if created else "The demo place is already loaded.")
    click.echo(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
    for email, label in demo_sign_ins():
        click.echo(f"  {label:<24} {email}")
    click.echo(
        "\nDot, Kayleigh and Bernie have no email: sign in as the facilitator and print "
        "them a sign-in code from the commission's page."
    )
    if current_app.config["MAIL_BACKEND"] == "console":
        click.echo("Emails (sign-in links, invitations) are printed in this terminal.")
