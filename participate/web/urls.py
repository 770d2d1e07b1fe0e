"""Where to send someone next, without ever sending them off-site."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, default_endpoint: str = "web.home") -> str:
    """``target`` when it is a path on this site, else the default page. A target with a
    control character (a line break, a tab) is refused: it could not go in a header."""
    target = target or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
        and "\\" not in target
        and not any(unicodedata.category(ch) == "Cc" for ch in target)
    ):
        return target
    return url_for(default_endpoint)
