"""Where to send someone next, without ever sending them off-site."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, default_endpoint: str = "web.home") -> str:
    """``target`` when it is a path on this site, else the default page."""
    target = target or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
        and "\\" not in target
    ):
        return target
    return url_for(default_endpoint)
