"""Readable, unique address parts for things people name."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func, select

from participate.extensions import db


def slugify(name: str, model) -> str:
    """A readable, unique address part: 'Porthaven Council' -> 'porthaven-council'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "space"
    slug, n = base, 2
    while db.session.scalar(select(func.count()).select_from(model).where(model.slug == slug)):
        slug, n = f"{base}-{n}", n + 1
    return slug
