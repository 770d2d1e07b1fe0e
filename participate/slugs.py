"""Readable, unique address parts for things people name."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func, select

from participate.extensions import db


def plain_slug(name: str, fallback: str = "space") -> str:
    """Lower-case ASCII letters and digits joined by hyphens: 'Porthaven Council' ->
    'porthaven-council'. Not checked for uniqueness (file names, for example)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or fallback


def slugify(name: str, model) -> str:
    """A readable, unique address part: 'Porthaven Council' -> 'porthaven-council'."""
    base = plain_slug(name)
    slug, n = base, 2
    while db.session.scalar(select(func.count()).select_from(model).where(model.slug == slug)):
        slug, n = f"{base}-{n}", n + 1
    return slug
