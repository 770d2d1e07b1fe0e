"""Voting pages (being built)."""

from __future__ import annotations

from participate.budgeting.views import bp, load_round, render


@bp.get("/<slug>/vote/")
def vote(slug: str):
    rnd = load_round(slug)
    return render("budgeting/_placeholder.html", rnd, tab="vote")


@bp.get("/<slug>/paper/")
def paper(slug: str):
    rnd = load_round(slug)
    return render("budgeting/_placeholder.html", rnd, tab="paper")
