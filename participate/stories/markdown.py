"""Stories are Markdown, never raw HTML: render them to safe HTML, or to plain text.

Two layers. markdown-it (CommonMark, ``html`` off) escapes any raw HTML as text and refuses
``javascript:``/``vbscript:``/``file:``/``data:`` links; nh3 then keeps only the tags and
attributes below, only http/https/mailto (or relative) URLs, and sets ``rel`` on every link.
Single newlines are kept as line breaks (``breaks``), as people type stories in a text box.
Headings are demoted so a story never adds an h1/h2 to a page: ``#``/``##`` become h3,
``###`` and deeper become h4. Images are never shown: their alt text is rendered instead.
"""

from html import escape

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h3",
    "h4",
    "a",
    "code",
    "pre",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"

_md = MarkdownIt("commonmark", {"html": False, "breaks": True})
_md.add_render_rule(  # an image becomes its (escaped) alt text
    "image",
    lambda self, tokens, idx, options, env: escape(
        self.renderInlineAsText(tokens[idx].children or [], options, env)
    ),
)


def _demoted(tokens):
    for tok in tokens:
        if tok.type in ("heading_open", "heading_close"):
            tok.tag = "h3" if tok.tag in ("h1", "h2") else "h4"
    return tokens


def render(text: str | None) -> Markup:
    """The story's Markdown as sanitised HTML, safe to put in a page."""
    if not text:
        return Markup("")
    html = _md.renderer.render(_demoted(_md.parse(text)), _md.options, {})
    safe = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )
    return Markup(safe)  # noqa: S704 - sanitised by nh3 just above  # nosec B704


def _inline_text(children) -> str:
    out = []
    for tok in children or []:
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif tok.type == "image":
            out.append(_inline_text(tok.children))
    return "".join(out)


def excerpt_text(text: str | None) -> str:
    """The story as plain text (not markup: templates escape it): for quotes, search, exports.

    Top-level blocks are separated by a blank line, lines inside a list or quote by a newline.
    """
    blocks: list[list[str]] = []
    for tok in _md.parse(text or ""):
        if tok.level == 0 and tok.nesting >= 0:
            blocks.append([])
        if tok.type == "inline":
            blocks[-1].append(_inline_text(tok.children))
        elif tok.type in ("fence", "code_block"):
            blocks[-1].append(tok.content.rstrip("\n"))
    return "\n\n".join("\n".join(b) for b in blocks if "".join(b).strip()).strip()


def is_blank(text: str | None) -> bool:
    """True when the Markdown has no visible words (empty, spaces, bare markup like ``---``)."""
    return not excerpt_text(text).strip()
