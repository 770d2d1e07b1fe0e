"""Links across features: adding and removing a link, a page for the connections of any one
thing, and ``link_chain(...)`` for the "How this connects" part of every feature's pages.

Every thing is loaded through ``links.chain.Reader``, which asks each feature's own rules:
a person who may not see a thing gets 404, whatever they tried to do with it.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from participate.audit import record
from participate.extensions import db
from participate.links import chain, rules
from participate.links.forms import LinkForm, RemoveLinkForm
from participate.links.models import Link
from participate.web.htmx import is_htmx, see_other

bp = Blueprint("links", __name__, url_prefix="/connections")


def viewer():
    return current_user._get_current_object() if current_user.is_authenticated else None


def _reader(public: bool = False) -> chain.Reader:
    """One reader per request (and per public/private view), so each thing is asked once."""
    key = "links_reader_public" if public else "links_reader"
    reader = g.get(key)
    if reader is None:
        reader = chain.Reader(viewer(), public=public)
        setattr(g, key, reader)
    return reader


def _node(kind: str, ident: int) -> rules.Node:
    if kind not in rules.KINDS:
        abort(404)
    node = (kind, ident)
    if not _reader().sees(node):
        abort(404)
    return node


def _form(choices: dict[str, chain.Choice], **kwargs) -> LinkForm:
    form = LinkForm(**kwargs)
    groups = {
        "to": _("This led to: %(kinds)s"),
        "from": _("This came from: %(kinds)s"),
    }
    form.choice.choices = [SelectChoice("", _("Choose what to link it to"))] + [
        SelectChoice(
            value,
            c.item.title,
            optgroup=groups[c.direction] % {"kinds": _(rules.KIND_GROUPS[c.item.kind])},
        )
        for value, c in choices.items()
    ]
    return form


def _removable(reader: chain.Reader, node: rules.Node) -> list[dict]:
    """The stored links of ``node`` this reader may remove, with the thing at the other end."""
    rows = []
    for link in chain.stored_links(node):
        source = (link.source_kind, link.source_id)
        target = (link.target_kind, link.target_id)
        other = target if source == node else source
        item = reader.item(other)
        if item is None or not chain.may_remove(reader, link):
            continue
        rows.append(
            {
                "link": link,
                "item": item,
                "direction": _("This led to") if source == node else _("This came from"),
            }
        )
    return rows


def link_chain(kind: str, ident: int, public: bool = False, stories_listed=()) -> dict | None:
    """Everything the "How this connects" part needs (``templates/links/_chain.html``):
    the chain for this reader and, for someone who may link, the form and the links they
    may remove. ``public``: as a visitor sees it (on the public pages). ``stories_listed``:
    the "Stories behind this" rows the page shows already (``stories.uses.stories_behind``),
    not repeated in the chain."""
    reader = _reader(public)
    node = (kind, ident)
    listed = [("story", row["story"].id) for row in stories_listed if row.get("story")]
    view = chain.view(reader, node, listed)
    if view is None:
        return None
    context = {"view": view, "kind": kind, "ident": ident, "public": public}
    if not public and reader.person is not None and kind in rules.LINK_KINDS:
        choices = chain.link_choices(reader, node)
        typed = g.get("link_form") if g.get("link_form_for") == node else None
        context.update(
            form=typed or (_form(choices, formdata=None) if choices else None),
            removable=_removable(reader, node),
            remove_form=RemoveLinkForm(formdata=None),
        )
    return context


bp.add_app_template_global(link_chain, "link_chain")


# --- the connections page of any one thing ---------------------------------------------------


def _page(node: rules.Node, status: int = 200):
    reader = _reader()
    item = reader.item(node)
    context = {"item": item, "kind": node[0], "ident": node[1], "as_of": reader.today}
    if node[0] == "story":
        from participate.stories import markdown

        context["body"] = markdown.render(item.obj.body)
    response = make_response(render_template("links/page.html", **context), status)
    response.vary.add("HX-Request")
    return response


@bp.get("/<kind>/<int:ident>")
def page(kind: str, ident: int):
    """A thing and how it connects: for a story or a grant, the page a visitor can read;
    for everyone who may link it, the form."""
    return _page(_node(kind, ident))


# --- adding and removing ---------------------------------------------------------------------


@bp.post("/<kind>/<int:ident>/links")
@login_required
def add(kind: str, ident: int):
    node = _node(kind, ident)
    reader = _reader()
    choices = chain.link_choices(reader, node)
    if not choices and not reader.manages(node):
        abort(404)  # nothing here they may link: as if there were no form
    form = _form(choices)
    if form.validate_on_submit() and form.choice.data not in choices:
        form.choice.errors = [_("Choose one of the things in the list.")]
    if not form.is_submitted() or form.errors:
        g.link_form, g.link_form_for = form, node
        if is_htmx():
            response = make_response(
                render_template("links/_link_form.html", links=link_chain(kind, ident)), 422
            )
            response.headers["HX-Retarget"] = f"#link-form-{kind}-{ident}"
            response.headers["HX-Reswap"] = "outerHTML"
            response.vary.add("HX-Request")
            return response
        return _page(node, 422)
    picked = choices[form.choice.data]
    other = picked.item.node
    source, target = (node, other) if picked.direction == "to" else (other, node)
    link = Link(
        source_kind=source[0],
        source_id=source[1],
        target_kind=target[0],
        target_id=target[1],
        note=form.note.data or None,
        created_by_id=reader.person.id,
    )
    db.session.add(link)
    db.session.flush()
    record(
        "link.added",
        f"Linked {source[0]} {source[1]} (led to) {target[0]} {target[1]}",
        link,
        visibility="private",
        detail={"source": list(source), "target": list(target)},
    )
    db.session.commit()
    flash(_("The link is made: %(title)s.", title=picked.item.title), "success")
    return see_other(_back_to(reader, node))


def _back_to(reader: chain.Reader, node: rules.Node) -> str:
    """After a change: the thing's own page, at its connections."""
    item = reader.item(node)
    url = item.url if item is not None and item.url else None
    if url is None or "#" in url:
        from flask import url_for

        return url_for("links.page", kind=node[0], ident=node[1], _anchor="connections")
    return f"{url}#connections"


@bp.post("/links/<int:link_id>/remove")
@login_required
def remove(link_id: int):
    reader = _reader()
    link = db.session.get(Link, link_id)
    if link is None or not chain.may_remove(reader, link):
        abort(404)
    if not RemoveLinkForm().validate_on_submit():
        abort(400)
    source, target = (link.source_kind, link.source_id), (link.target_kind, link.target_id)
    on = rules.parse_choice(f"to-{request.form.get('on', '')}")
    back = (on[1], on[2]) if on is not None and (on[1], on[2]) in (source, target) else source
    record(
        "link.removed",
        f"Removed the link from {source[0]} {source[1]} to {target[0]} {target[1]}",
        link,
        visibility="private",
        detail={"source": list(source), "target": list(target), "note": link.note},
    )
    db.session.delete(link)
    db.session.commit()
    flash(_("The link is removed."), "success")
    return see_other(_back_to(reader, back))
