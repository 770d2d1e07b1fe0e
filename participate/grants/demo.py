"""The grants demo (being written): a fund with grants in every status."""

from __future__ import annotations

from datetime import date

from participate.accounts.models import Organisation, Person


def load(council: Organisation, people: dict[str, Person], today: date) -> None:
    """``people``: the demo's people by key (officer, finance, panel, community, resident,
    facilitator, dot, kayleigh, bernie, helen)."""
