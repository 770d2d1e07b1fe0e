"""Fund and grant pages: the blueprint, loading a fund or a grant (404 for anyone who may not
know it exists), and rendering inside the fund's layout.

The pages live in ``funds`` (setting up, the public fund page, the register), ``applying``
(the application form), ``deciding`` (declarations, panel views, consent rounds, awards from
residents' votes), ``paying`` (the offer, tranches, approvals, returns, cancelling, the
ledger), ``during`` (spend updates, contact log, reallocations) and ``closing`` (report,
review, conversation, letter, comments, outstanding issues, signatures). Every decision is
asked of ``grants.rules``; every movement of money goes through ``grants.books``.
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from participate.accounts.models import Space
from participate.clock import local_today
from participate.extensions import db
from participate.grants import books, rules
from participate.grants.models import Fund, Grant
from participate.money import format_money
from participate.problems import Problem, add_problems  # noqa: F401 - pages import it here
from participate.web.htmx import form_errors

bp = Blueprint("grants", __name__, url_prefix="/funds")


def viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def today():
    return local_today()


def allow(permitted: bool) -> None:
    """Stop here with 404 unless ``permitted``: a person learns nothing from a refusal."""
    if not permitted:
        abort(404)


def _fund(slug: str) -> Fund | None:
    return db.session.scalar(
        select(Fund).join(Space, Fund.space_id == Space.id).where(Space.slug == slug)
    )


def load_fund(slug: str) -> Fund:
    fund = _fund(slug)
    if fund is None or not rules.can_view_fund(viewer(), fund):
        abort(404)
    return fund


def load_grant(slug: str, number: int) -> Grant:
    """A grant the viewer may see (the people who run the fund, its panel and finance
    approvers, and the grantee, even of a fund they could not otherwise see); 404 for
    everyone else."""
    fund = _fund(slug)
    if fund is None:
        abort(404)
    grant = db.session.scalar(select(Grant).where(Grant.fund_id == fund.id, Grant.number == number))
    if grant is None or not rules.can_view_grant(viewer(), grant):
        abort(404)
    return grant


def load_record(model, record_id: int, grant: Grant):
    """One of a grant's own records (a payment, a comment, an issue, a reallocation), or 404:
    an id from another grant is as unknown as one that does not exist."""
    found = db.session.get(model, record_id)
    if found is None or found.grant_id != grant.id:
        abort(404)
    return found


def _fund_context(fund: Fund, tab: str, context: dict) -> dict:
    person = viewer()
    return {
        **context,
        "fund": fund,
        "space": fund.space,
        "tab": tab,
        "today": today(),
        "manages": rules.manages(person, fund),
        "sees_applications": rules.sees_applications(person, fund),
        "sees_register": rules.sees_register(person, fund),
        "sees_ledger": rules.can_reverse(person, fund),
        "STATUS_LABELS": rules.STATUS_LABELS,
        "FUND_STATUS_LABELS": rules.FUND_STATUS_LABELS,
    }


COUNTS = {"num", "n"}  # params that are counts, not money


def money_problems(problems: list[Problem], currency: str) -> list[Problem]:
    """The grants rules give amounts of money in pence: write them as money (counts stay)."""
    return [
        Problem(
            p.field,
            p.message,
            {
                k: format_money(v, currency) if isinstance(v, int) and k not in COUNTS else v
                for k, v in p.params.items()
            },
        )
        for p in problems
    ]


def render(template: str, fund: Fund, status: int = 200, tab: str = "", **context):
    """A fund page inside the fund's layout (its name, status and tabs)."""
    return render_template(template, **_fund_context(fund, tab, context)), status


def render_fund_block(
    template: str, fund: Fund, block: str, status: int = 200, tab: str = "", **context
):
    """One block of a fund page, for htmx to swap in place."""
    response = make_response(
        render_block(template, block, **_fund_context(fund, tab, context)), status
    )
    response.vary.add("HX-Request")
    return response


def render_form_errors(
    template: str, fund: Fund, block: str, target_id: str, tab: str = "", **context
):
    """A fund's form that did not validate: 422 with the whole page, or for htmx just the
    form (``block``, swapped into ``#target_id``)."""
    return form_errors(template, block, target_id, **_fund_context(fund, tab, context))


def render_grant(template: str, grant: Grant, grant_tab: str, status: int = 200, **context):
    """A grant page inside the grant's layout (``templates/grants/_grant.html``): its title,
    status, the money so far and its tabs, within the fund's layout."""
    return render(
        template,
        grant.fund,
        status,
        tab="applications",
        grant=grant,
        grant_tab=grant_tab,
        grant_money=books.grant_money(grant),
        is_grantee=rules.is_grantee(viewer(), grant),
        **context,
    )


def grant_form_errors(
    template: str, grant: Grant, grant_tab: str, block: str, target_id: str, **context
):
    """A grant page's form that did not validate (see ``render_form_errors``)."""
    return render_form_errors(
        template,
        grant.fund,
        block,
        target_id,
        tab="applications",
        grant=grant,
        grant_tab=grant_tab,
        grant_money=books.grant_money(grant),
        is_grantee=rules.is_grantee(viewer(), grant),
        **context,
    )


# Their routes register on ``bp`` when imported.
from participate.grants import (  # noqa: E402, F401
    applying,
    closing,
    deciding,
    during,
    funds,
    home,
    paying,
)
