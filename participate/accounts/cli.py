"""``flask accounts ...``: what a person running the service needs from a terminal."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from participate.accounts import auth, rules
from participate.accounts.models import Person
from participate.audit import record
from participate.extensions import db

accounts_cli = AppGroup("accounts", help="Manage accounts from the command line.")


@accounts_cli.command("create-admin")
@click.argument("email")
@click.argument("name")
@click.password_option(help="Asked for when not given.")
def create_admin(email: str, name: str, password: str) -> None:
    """Make EMAIL a site admin called NAME (creating the account if needed)."""
    problem = rules.password_problem(password, email)
    if problem:
        raise click.BadParameter(problem, param_hint="password")
    email = rules.normalise_email(email)
    person = db.session.scalar(select(Person).where(Person.email == email))
    if person is None:
        person = Person(email=email, chosen_name=name)
        db.session.add(person)
    person.is_site_admin = True
    person.active = True
    auth.set_password(person, password)
    db.session.flush()
    record(
        "account.made_admin",
        f"{person.chosen_name} was made a site admin from the command line",
        person,
        on_behalf_of=person,
    )
    db.session.commit()
    click.echo(
        f"{person.chosen_name} <{email}> is a site admin and can sign in with that password."
    )
