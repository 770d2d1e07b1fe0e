"""Results pages (being built)."""

from __future__ import annotations

from participate.budgeting.views import bp, load_round, render


@bp.get("/<slug>/results/")
def results(slug: str):
    rnd = load_round(slug)
    return render("budgeting/_placeholder.html", rnd, tab="results")
