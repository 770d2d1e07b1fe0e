"""Printed paper ballots: an officer or facilitator who enters paper ballots prints numbered
ballots for a pot, as a page to print and as a PDF, while voting is on.

Each ballot carries the number the paper-entry screen asks for (``numbering.serial``), the
ballot's instructions and the projects on the ballot (``counting.on_ballot``, as online).
Every print is written to the audit log, which also tells the paper page which numbers
have been printed already. Rules: ``budgeting.rules`` and ``budgeting.numbering``.
"""

from __future__ import annotations

from datetime import timedelta

from flask import render_template, request
from sqlalchemy import select

from participate.accounts.models import Person
from participate.audit import record
from participate.audit.models import AuditEntry
from participate.budgeting import counting, numbering, rules
from participate.budgeting.forms.printing import PrintBallotsForm
from participate.budgeting.models import Ballot, GrantRound, Pot
from participate.budgeting.views import allow, area_words, bp, load_round, viewer
from participate.extensions import db, limiter
from participate.problems import Problem, add_problems
from participate.text import N_
from participate.web.pdf import pdf_response

PRINTED = "budgeting.ballots_printed"


def entered_serials(pot: Pot) -> list[str]:
    """The numbers of the paper ballots already typed in for ``pot`` (checked or not)."""
    keys = db.session.scalars(
        select(Ballot.voter_key).where(Ballot.pot_id == pot.id, Ballot.source == "paper")
    )
    return [key.removeprefix("paper:") for key in keys if key.startswith("paper:")]


def printed_so_far(rnd: GrantRound) -> dict[int, list[numbering.Printed]]:
    """Each pot's prints, newest first (the same numbers printed again shown once)."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == PRINTED, AuditEntry.space_id == rnd.space_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    ).all()
    ids = {e.actor_id for e in entries if e.actor_id is not None}
    rows = db.session.execute(select(Person.id, Person.chosen_name).where(Person.id.in_(ids)))
    names = {pid: name for pid, name in rows} if ids else {}
    out: dict[int, list[numbering.Printed]] = {}
    seen = set()
    for e in entries:
        detail = e.detail or {}
        key = (detail.get("pot"), detail.get("first"), detail.get("last"))
        if None in key or key in seen:
            continue
        seen.add(key)
        out.setdefault(key[0], []).append(
            numbering.Printed(key[1], key[2], names.get(e.actor_id, "?"), e.at)
        )
    return out


def print_section(rnd: GrantRound, form: PrintBallotsForm | None = None) -> dict:
    """What the paper page shows about printing: the form (filled in with where the next
    print should start) and what has been printed so far."""
    printed = printed_so_far(rnd)
    if form is None:
        form = PrintBallotsForm(formdata=None)
        pot = rnd.pots[0] if rnd.pots else None
        if pot is not None:
            form.pot.data = pot.id
            form.first.data = str(
                numbering.next_first(printed.get(pot.id, []), entered_serials(pot))
            )
        form.count.data = str(numbering.DEFAULT_COUNT)
    form.pot.choices = [(p.id, p.name) for p in rnd.pots]
    return {
        "print_form": form,
        "print_open": rnd.phase == "voting",
        "printed": printed,
        "serial": numbering.serial,
    }


def _paper_page_again(rnd: GrantRound, form: PrintBallotsForm | None, status: int):
    from participate.budgeting.paper import _new_batch_form, _paper_page

    return _paper_page(rnd, _new_batch_form(rnd), status, print_form=form)


def _ballots(slug: str):
    """The ballots asked for, or the paper page again with the reason they cannot be
    printed (422 with the form as typed; 409 once voting is over)."""
    rnd = load_round(slug)
    allow(rules.can_enter_paper(viewer(), rnd))
    if rnd.phase != "voting":
        return rnd, None, _paper_page_again(rnd, None, 409)
    form = PrintBallotsForm(request.args)
    form.pot.choices = [(p.id, p.name) for p in rnd.pots]
    form.validate()
    pot = next((p for p in rnd.pots if p.id == form.pot.data), None)
    problems = [] if pot else [Problem("pot", N_("Choose the pot the ballots are for."))]
    problems += numbering.print_problems(
        form.first.data, form.count.data, entered_serials(pot) if pot else []
    )
    if problems:
        form.pot.errors = []  # the rule says it in plain words
        add_problems(form, problems)
        return rnd, None, _paper_page_again(rnd, form, 422)
    first, count = numbering.whole(form.first.data), numbering.whole(form.count.data)
    serials = numbering.serials(first, count)
    record(
        PRINTED,
        f"Printed paper ballots {serials[0]} to {serials[-1]} for {pot.name}",
        pot,
        space=rnd.space,
        visibility="space",
        detail={"pot": pot.id, "first": first, "last": first + count - 1},
    )
    db.session.commit()
    closes = rnd.results_from - timedelta(days=1) if rnd.results_from else None
    return (
        rnd,
        dict(
            rnd=rnd,
            space=rnd.space,
            pot=pot,
            projects=counting.on_ballot(pot),
            serials=serials,
            least=rules.least_spend(rnd, pot.amount),
            declare=rules.needs_declaration(rnd, rnd.who_votes),
            area=area_words(rnd),
            closes=closes,
            query={"pot": pot.id, "first": first, "count": count},
        ),
        None,
    )


@bp.get("/<slug>/paper/print")
def paper_print(slug: str):
    """Numbered ballots as a page to print: one ballot on each sheet."""
    _rnd, context, refused = _ballots(slug)
    if refused is not None:
        return refused
    return render_template("budgeting/print_ballots.html", **context)


@bp.get("/<slug>/paper/print.pdf")
@limiter.limit("20 per minute")
def paper_print_pdf(slug: str):
    """The same ballots as a PDF (WeasyPrint), one on each page."""
    rnd, context, refused = _ballots(slug)
    if refused is not None:
        return refused
    html = render_template("budgeting/print_ballots_pdf.html", **context)
    serials = context["serials"]
    return pdf_response(
        html, f"ballots-{rnd.space.slug}-{context['pot'].position}-{serials[0]}-{serials[-1]}.pdf"
    )
