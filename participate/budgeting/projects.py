"""Projects pages (being built)."""

from __future__ import annotations

from participate.budgeting.views import bp, load_round, render


@bp.get("/<slug>/projects/")
def projects(slug: str):
    rnd = load_round(slug)
    return render("budgeting/_placeholder.html", rnd, tab="projects")


@bp.get("/<slug>/projects/<int:project_id>")
def project(slug: str, project_id: int):
    rnd = load_round(slug)
    return render("budgeting/_placeholder.html", rnd, tab="projects")
