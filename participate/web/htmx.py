"""The one place that knows how htmx talks to us."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    """True for a request htmx made (and not a history restore, which wants a whole page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render_page_or_block(template: str, block: str, status: int = 200, **context):
    """The whole page on a normal request; only ``block`` for htmx. Varies on HX-Request."""
    if is_htmx():
        response = make_response(render_block(template, block, **context), status)
    else:
        response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def form_errors(template: str, block: str, target_id: str, **context):
    """A form that didn't validate: 422, with the filled-in form and its messages.

    Without JavaScript the whole page comes back; with htmx just the form, swapped in place.
    """
    response = render_page_or_block(template, block, status=422, **context)
    if is_htmx():
        response.headers["HX-Retarget"] = f"#{target_id}"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


def _without_anchor_on_same_page(url: str) -> str:
    target = urlsplit(url)
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    if target.fragment and (target.path, target.query) == (current.path, current.query):
        return target._replace(fragment="").geturl()
    return url


def see_other(url: str):
    """After a change, go to ``url``: a 303 for a plain form, a full-page load for htmx.

    (The browser would follow a 303 inside htmx's request and swap a whole page into a form.)
    A place on the page htmx is already showing (``…#anchor``) loses its anchor for htmx: the
    browser would only scroll to it, without loading the changed page again.
    """
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = _without_anchor_on_same_page(url)
        return response
    return redirect(url, code=303)
