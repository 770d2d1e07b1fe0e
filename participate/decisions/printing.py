"""Printed consent cards: a facilitator prints one card for each member who decides a
proposal in its consent round, as a page to print and as a PDF. Members tick green (consent),
amber (stand aside) or red (object) and write their reason; the facilitator types the cards
in on the paper cards page (``views.cards``) and someone else checks them.

Only for the circle's facilitators (404 for anyone else), and only while the consent round
is open; rules: ``decisions.rules``.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_login import login_required

from participate.decisions import rules, steps
from participate.decisions.views import bp, load_circle, load_proposal, viewer
from participate.extensions import limiter
from participate.web.pdf import pdf_response

# The cards in the order people hold them up, with the colour the paper cards page uses.
CARD_ORDER = ("green", "amber", "red")


def card_answers() -> list[tuple[str, str]]:
    """(colour, answer) for each card, the answer being a key of ``rules.ANSWERS``."""
    return [(colour, rules.CARD_ANSWERS[colour]) for colour in CARD_ORDER]


def _cards(slug: str, proposal_id: int):
    circle = load_circle(slug)
    proposal = load_proposal(circle, proposal_id)
    rnd = steps.current_round(proposal, "consent")
    if rnd is None or not rules.is_facilitator(viewer(), circle):
        abort(404)
    answered = {r.person_id for r in rnd.responses}
    deciders = steps.deciders(circle, proposal)
    return dict(
        circle=circle,
        space=circle.space,
        proposal=proposal,
        rnd=rnd,
        is_open=steps.round_open(rnd),
        members=[p for p in deciders if p.id not in answered],
        already=[p for p in deciders if p.id in answered],
        cards=card_answers(),
        ANSWERS=rules.ANSWERS,
    )


@bp.get("/<slug>/<int:proposal_id>/cards/print")
@login_required
def print_cards(slug: str, proposal_id: int):
    """The consent cards as a page to print."""
    context = _cards(slug, proposal_id)
    status = 200 if context["is_open"] else 409
    return render_template("decisions/print_cards.html", **context), status


@bp.get("/<slug>/<int:proposal_id>/cards/print.pdf")
@login_required
@limiter.limit("20 per minute")
def print_cards_pdf(slug: str, proposal_id: int):
    """The same cards as a PDF (WeasyPrint); once the round has closed, the page saying so."""
    context = _cards(slug, proposal_id)
    if not context["is_open"]:
        return render_template("decisions/print_cards.html", **context), 409
    html = render_template("decisions/print_cards_pdf.html", **context)
    return pdf_response(html, f"consent-cards-{proposal_id}-v{context['rnd'].version_number}.pdf")
