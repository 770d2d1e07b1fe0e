"""Every interface string is translatable (issue 9): no English left outside ``_()``.

Templates: each one under templates/ is parsed with the app's own Jinja environment. Text that
is template data (``nodes.TemplateData``: not an expression, not inside ``{% trans %}``, which
Jinja turns into a ``gettext`` call) is put back together with the HTML around it, and every
word a reader would see must come from ``_()``, ``gettext``, ``ngettext`` or ``{% trans %}``:
the text between tags, and the attributes people read or hear (``alt``, ``title``,
``aria-label``, ``placeholder``, the label of a submit button, a page description, the
messages ``static/js/app.js`` shows from ``data-*``). Tag names, other attributes (classes,
ids, URLs), comments, ``<script>`` and ``<style>`` are not for readers. Plain-text emails have
no HTML: all of their template data is for readers. A string constant in an expression that
reads like text (a capitalised word or a sentence; not a url_for endpoint, key or comparison)
and is not given to ``_()`` is caught too.

Python: literals given straight to what people see (``flash``, ``abort(description=...)``,
form labels, descriptions and validator messages, ``Problem``, ``ValidationError`` and the
refusals the views show: ``StepRefused``, ``LedgerRefused`` …) must be marked with
``_``/``_l``/``N_``/``gettext``/``ngettext``, so ``pybabel`` finds them and they are
translated where shown.
"""

from __future__ import annotations

import ast
import bisect
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import nodes

from participate import create_app

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
PACKAGE = ROOT / "participate"

TEMPLATE_PATHS = sorted(
    path.relative_to(TEMPLATES).as_posix()
    for path in TEMPLATES.rglob("*")
    if path.is_file() and path.suffix in (".html", ".txt")
)

# Stands in for an expression (``{{ … }}``, a tag's output) while the HTML is put back
# together: it is not a letter, so it never makes a word on its own.
HOLE = "\ufffc"

# Words that are not for translating. Keep this short, and say why for each. Symbols ("£",
# "·", "→", "–") and numbers have no letters, so they never count as words; the language
# names in the switch ("English", "Cymraeg", each in its own language) and the place's name
# come from config as values, not template text. Nothing needs listing today.
ALLOWED_WORDS: set[str] = set()
# Whole pieces of text that are not for translating, matched after trimming.
ALLOWED_TEXT: set[str] = set()

# Attributes people read or hear. ``value`` counts only on inputs that show it as their
# label (a ``<button>``'s value is sent, not shown: its content is the label).
READ_ATTRIBUTES = {
    "alt",
    "title",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "placeholder",
    "label",
    "hx-confirm",
    "hx-prompt",
    "data-confirm",
}
LABELLED_INPUTS = {"submit", "button", "reset"}
# ``<meta name=… content=…>`` that browsers or search engines show as text.
READ_META = {
    "description",
    "og:title",
    "og:description",
    "twitter:title",
    "twitter:description",
    "application-name",
    "apple-mobile-web-app-title",
}
# Elements whose content is code, not text.
CODE_ELEMENTS = {"script", "style"}

GETTEXT_CALLS = {"_", "gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext", "_l"}
# Filters whose string argument is a pattern, not text (Babel date and number formats).
PATTERN_FILTERS = {
    "dateformat",
    "datetimeformat",
    "timeformat",
    "format_date",
    "format_datetime",
    "format_time",
    "strftime",
}
LETTER = re.compile(r"[^\W\d_]")
# Something that reads like a sentence: a capital, then at least one more word.
SENTENCE = re.compile(r"^[^\W\d_][^\W\d_'’-]*[ ,][^\n]*[^\W\d_]{2,}", re.UNICODE)


@pytest.fixture(scope="module")
def jinja_env():
    app = create_app(
        {
            "ENVIRONMENT": "testing",
            "TESTING": True,
            "SECRET_KEY": "templates-are-translatable",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        }
    )
    return app.jinja_env


# --- templates -------------------------------------------------------------------------------


def _is_word(token: str) -> bool:
    token = token.strip(".,:;!?()[]\"'“”‘’")
    if not LETTER.search(token) or token in ALLOWED_WORDS:
        return False
    # Addresses and file names are not words (an ``https://…`` or ``mailto:`` in an email).
    return not re.match(r"^(https?://|mailto:|www\.)", token)


def _words(text: str) -> list[str]:
    text = text.replace(HOLE, " ")
    if text.strip() in ALLOWED_TEXT:
        return []
    return [token for token in text.split() if _is_word(token)]


class _Segments:
    """Template data joined into one text, remembering which template line each piece is on."""

    def __init__(self):
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.lines: list[int | None] = []
        self.length = 0

    def add(self, text: str, lineno: int | None) -> None:
        self.starts.append(self.length)
        self.lines.append(lineno)
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)

    def line_at(self, offset: int) -> int | None:
        index = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        # A hole has no line of its own: use the nearest piece of data before it.
        while index > 0 and self.lines[index] is None:
            index -= 1
        lineno = self.lines[index]
        if lineno is None:
            return None
        start = self.starts[index]
        return lineno + self.parts[index].count("\n", 0, max(offset - start, 0))


def _collect(node: nodes.Node, segments: _Segments, constants: list, shown: bool = True) -> None:
    """Template data in source order, with a hole for everything else; and the string
    constants in expressions that may be shown (not inside a gettext call, not a name to
    look something up by: a url_for endpoint, a comparison, a key, a template's name)."""
    if isinstance(node, nodes.TemplateData):
        segments.add(node.data, node.lineno)
        return
    if isinstance(node, nodes.Call) and _called(node) in GETTEXT_CALLS:
        segments.add(HOLE, None)
        return
    if isinstance(node, nodes.Filter) and node.name in PATTERN_FILTERS:
        if node.node is not None:
            _collect(node.node, segments, constants, shown)
        segments.add(HOLE, None)
        return
    if isinstance(node, nodes.Const):
        if shown and isinstance(node.value, str):
            constants.append((node.lineno, node.value))
        return
    if isinstance(node, (nodes.Expr, nodes.Helper)):
        # An expression shows something, but its text comes from elsewhere.
        for field, child in _children(node):
            _collect(child, _Segments(), constants, shown and not _lookup(node, field))
        segments.add(HOLE, None)
        return
    for field, child in _children(node):
        if (
            isinstance(node, (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport))
            and field == "template"
        ):
            continue
        _collect(child, segments, constants, shown)
        if not isinstance(child, nodes.TemplateData):
            segments.add(HOLE, None)


# Methods whose string arguments are keys or prefixes, not text to show.
LOOKUP_METHODS = {"get", "startswith", "endswith", "index", "count", "split", "pop"}


def _called(call: nodes.Call) -> str:
    if isinstance(call.node, nodes.Name):
        return call.node.name
    if isinstance(call.node, nodes.Getattr):
        return call.node.attr
    return ""


def _children(node: nodes.Node):
    """(field name, child node) in source order."""
    for field in node.fields:
        value = getattr(node, field, None)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, nodes.Node):
                yield field, item


def _lookup(node: nodes.Node, field: str) -> bool:
    """Whether the ``field`` of ``node`` names something rather than says something."""
    if isinstance(node, (nodes.Compare, nodes.Operand, nodes.Test)):
        return True
    if isinstance(node, nodes.Getitem):
        return field == "arg"
    if isinstance(node, nodes.Pair):
        return field == "key"
    if isinstance(node, nodes.Call):
        return _called(node) == "url_for" or _called(node) in LOOKUP_METHODS
    return False


def _reads_as_text(value: str) -> bool:
    """A capitalised word, or a sentence: what a person would read."""
    value = value.strip()
    return value[:1].isupper() and (value[1:2].islower() or bool(SENTENCE.match(value)))


class _ReaderText(HTMLParser):
    """The words in an HTML text that a reader sees or hears."""

    def __init__(self, segments: _Segments):
        super().__init__(convert_charrefs=True)
        self.segments = segments
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", segments.text())]
        self.code_depth = 0
        self.found: list[tuple[int | None, str]] = []

    def _line(self) -> int | None:
        line, column = self.getpos()
        return self.segments.line_at(self.line_starts[line - 1] + column)

    def _report(self, text: str, where: str = "") -> None:
        words = _words(text)
        if words:
            self.found.append((self._line(), f"{where}{' '.join(words)}"))

    def handle_starttag(self, tag, attrs):
        self._attributes(tag, attrs)
        if tag in CODE_ELEMENTS:
            self.code_depth += 1

    def handle_startendtag(self, tag, attrs):
        self._attributes(tag, attrs)

    def handle_endtag(self, tag):
        if tag in CODE_ELEMENTS and self.code_depth:
            self.code_depth -= 1

    def handle_data(self, data):
        if not self.code_depth:
            self._report(data)

    def _attributes(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if not value:
                continue
            read = (
                name in READ_ATTRIBUTES
                or (
                    name == "value"
                    and tag == "input"
                    and (values.get("type") or "").lower() in LABELLED_INPUTS
                )
                or (
                    name == "content"
                    and tag == "meta"
                    and ((values.get("name") or values.get("property") or "").lower() in READ_META)
                )
                # Messages the scripts show: a data-* attribute holding words, not a token.
                or (name.startswith("data-") and len(_words(value)) > 1)
            )
            if read:
                self._report(value, f'<{tag} {name}="…">: ')


def untranslated_text(env, name: str, source: str) -> list[tuple[int | None, str]]:
    """(line, words) for each piece of reader-facing text not wrapped for translation."""
    tree = env.parse(source, name=name)
    segments, constants = _Segments(), []
    _collect(tree, segments, constants)
    if name.endswith(".txt"):
        found = []
        for part, lineno in zip(segments.parts, segments.lines, strict=True):
            for number, line in enumerate(part.split("\n")):
                words = _words(line)
                if words:
                    found.append((lineno + number if lineno else None, " ".join(words)))
    else:
        parser = _ReaderText(segments)
        parser.feed(segments.text())
        parser.close()
        found = parser.found
    found += [(lineno, f"string {value!r}") for lineno, value in constants if _reads_as_text(value)]
    return found


@pytest.mark.parametrize("template", TEMPLATE_PATHS)
def test_template_text_is_translatable(jinja_env, template):
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    found = untranslated_text(jinja_env, template, source)
    assert found == [], (
        f"templates/{template} has text outside _() or {{% trans %}}:\n"
        + "\n".join(f"  line {line}: {words}" for line, words in found)
    )


# --- Python ----------------------------------------------------------------------------------

# Calls that mark a string for translation: their argument is fine as it is.
MARKERS = {
    "_",
    "_l",
    "N_",
    "gettext",
    "ngettext",
    "lazy_gettext",
    "lazy_ngettext",
    "pgettext",
    "npgettext",
}
# Exceptions and helpers whose message people read: refusals the views show (their text is
# translated where shown: ``problems.refusal_text``), and the form's own errors.
# name -> which positional argument is the message (keywords: ``message``, ``why``).
SHOWN_MESSAGES = {
    "flash": 0,
    "ValidationError": 0,
    "StopValidation": 0,
    "Problem": 1,
    "StepRefused": 0,
    "LedgerRefused": 0,
    "_require": 1,
}
# WTForms validators; the message is a keyword, or the first argument of these.
VALIDATORS = {
    "DataRequired",
    "InputRequired",
    "Optional",
    "Length",
    "NumberRange",
    "Email",
    "EqualTo",
    "Regexp",
    "URL",
    "AnyOf",
    "NoneOf",
    "FileRequired",
    "FileAllowed",
    "FileSize",
    "UUID",
    "IPAddress",
    "MacAddress",
}
MESSAGE_FIRST = {
    "DataRequired",
    "InputRequired",
    "Email",
    "URL",
    "FileRequired",
    "UUID",
    "IPAddress",
    "MacAddress",
}
# Form fields: the label (first argument or ``label=``), the hint (``description=``), the
# text shown in an empty choice, the labels of the choices, and what ``render_kw`` gives the
# attributes people read.
FIELD_TEXT_KEYWORDS = {"label", "description"}
PY_PATHS = sorted(
    path.relative_to(ROOT).as_posix()
    for path in PACKAGE.rglob("*.py")
    # Command-line tools speak to whoever runs the server, in English; they are not pages.
    if not path.name == "cli.py"
)


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literal(node: ast.expr | None) -> bool:
    """Text written here, not marked: a string (with letters), an f-string, or one built
    from them."""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(LETTER.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_literal(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):  # "..." + x, "..." % x
        return _literal(node.left) or _literal(node.right)
    if isinstance(node, ast.IfExp):
        return _literal(node.body) or _literal(node.orelse)
    if isinstance(node, ast.Call):
        if _name(node.func) in MARKERS:
            return False
        # "...".format(...)
        return isinstance(node.func, ast.Attribute) and _literal(node.func.value)
    return False


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _positional(call: ast.Call, index: int) -> ast.expr | None:
    args = [a for a in call.args if not isinstance(a, ast.Starred)]
    return args[index] if len(args) > index else None


def _is_field(name: str) -> bool:
    return name.endswith("Field") and name[:1].isupper()


def unmarked_strings(source: str, form_module: bool = False) -> list[tuple[int, str]]:
    """(line, what) for each literal that reaches a person without being marked. In a forms
    module a ``ValueError`` raised while reading a field is that field's error message."""
    found = []
    for call in ast.walk(ast.parse(source)):
        if isinstance(call, ast.Assign) and isinstance(call.value, ast.List):
            # form.amount.errors = ["..."]: an error shown next to a field.
            if any(_name(t).endswith("errors") for t in call.targets):
                found += [
                    (item.lineno, f"field error: {ast.unparse(item)[:80]}")
                    for item in call.value.elts
                    if _literal(item)
                ]
        if not isinstance(call, ast.Call):
            continue
        name = _name(call.func)
        shown: list[tuple[str, ast.expr | None]] = []
        if (
            name in ("append", "extend", "insert")
            and isinstance(call.func, ast.Attribute)
            and _name(call.func.value).endswith("errors")
        ):
            shown += [("field error", arg) for arg in call.args]
        if name in SHOWN_MESSAGES:
            shown.append((name, _positional(call, SHOWN_MESSAGES[name])))
            shown += [(name, _keyword(call, k)) for k in ("message", "why")]
        elif name == "ValueError" and form_module:
            shown.append(("field error", _positional(call, 0)))
        elif name == "abort":
            shown += [("abort", _positional(call, 1)), ("abort", _keyword(call, "description"))]
        elif name in VALIDATORS:
            shown.append((name, _keyword(call, "message")))
            if name in MESSAGE_FIRST:
                shown.append((name, _positional(call, 0)))
        elif _is_field(name):
            shown.append((f"{name} label", _positional(call, 0)))
            shown += [(f"{name} {k}", _keyword(call, k)) for k in FIELD_TEXT_KEYWORDS]
            shown.append((f"{name} empty choice", _keyword(call, "blank_text")))
            render_kw = _keyword(call, "render_kw")
            if isinstance(render_kw, ast.Dict):
                shown += [
                    (f"{name} {key.value}", value)
                    for key, value in zip(render_kw.keys, render_kw.values, strict=True)
                    if isinstance(key, ast.Constant) and key.value in READ_ATTRIBUTES
                ]
            choices = _keyword(call, "choices")
            if isinstance(choices, (ast.List, ast.Tuple)):
                for choice in choices.elts:
                    if isinstance(choice, ast.Tuple) and len(choice.elts) == 2:
                        shown.append((f"{name} choice", choice.elts[1]))
        # An email's subject (``accounts.mail.send(..., subject=N_(...))``).
        shown.append(("email subject", _keyword(call, "subject")))
        found += [
            (node.lineno, f"{what}: {ast.unparse(node)[:80]}")
            for what, node in shown
            if _literal(node)
        ]
    return sorted(found)


@pytest.mark.parametrize("module", PY_PATHS)
def test_python_text_people_see_is_marked(module):
    form_module = "forms" in Path(module).parts or Path(module).stem == "forms"
    found = unmarked_strings((ROOT / module).read_text(encoding="utf-8"), form_module)
    assert found == [], (
        f"{module} shows text that is not marked for translation (use _, _l or N_):\n"
        + "\n".join(f"  line {line}: {what}" for line, what in found)
    )


def test_the_checks_find_what_they_look_for(jinja_env):
    """The checks themselves: they catch unmarked text and let marked text through."""
    page = (
        '{% extends "base.html" %}{% block content %}\n'
        "<h1>{{ _('Marked') }}</h1>\n"
        '<p class="lead">Plain {{ name }} words</p>\n'
        '<img alt="A picture" src="/x.png"><input type="submit" value="Send">\n'
        "{% trans %}Marked too{% endtrans %}<!-- a note for developers -->\n"
        '<script>const words = "not for readers";</script>\n'
        '<a title="{{ _(\'Marked\') }}" href="/x" class="button">&middot; &rarr; £5</a>\n'
        '{% set heading = "An unmarked heading" %}\n'
        "{{ tab('grants.show', 'Overview') }}{% if s == 'Open' %}{{ NAMES['Key'] }}{% endif %}\n"
        "{% endblock %}"
    )
    assert untranslated_text(jinja_env, "check.html", page) == [
        (3, "Plain words"),
        (4, '<img alt="…">: A picture'),
        (4, '<input value="…">: Send'),
        (8, "string 'An unmarked heading'"),
        (9, "string 'Overview'"),
    ]
    email = "Hello {{ name }},\n{{ _('Marked') }}\nhttps://example.org/ Thanks\n"
    assert untranslated_text(jinja_env, "check.txt", email) == [(1, "Hello"), (3, "Thanks")]

    code = (
        "flash(_('Marked'))\nflash('Plain')\nflash(f'Hi {name}')\n"
        "abort(404, description='Gone')\n"
        "name = StringField(_l('Name'), validators=[DataRequired('Say it')],\n"
        "    description='A hint', choices=[('a', _l('A')), ('b', 'B')],\n"
        "    render_kw={'placeholder': 'e.g. Mill Field', 'class': 'wide'})\n"
        "raise StepRefused(N_('marked'))\nraise LedgerRefused('plain')\n"
        "_require(ok, 'plain why')\nProblem('amount', N_('Marked'))\nProblem('amount', 'No')\n"
        "mail.send(to, subject='Hello', template='x')\nraise ValueError('Not a number')\n"
        "form.amount.errors = [_('Marked'), 'Too much']\nform.form_errors.append('Wrong')\n"
    )
    assert [line for line, _what in unmarked_strings(code)] == [
        2,
        3,
        4,
        5,
        6,
        6,
        7,
        9,
        10,
        12,
        13,
        15,
        16,
    ]
    assert [line for line, _what in unmarked_strings(code, form_module=True)][-3] == 14


def test_a_refusal_is_shown_in_the_readers_language(app):
    """Refusals keep their English for logs (``str``) and are translated where shown."""
    from flask_babel import force_locale

    from participate.grants.books import LedgerRefused
    from participate.grants.steps import StepRefused
    from participate.problems import refusal_text
    from participate.text import N_
    from tests.web.test_language import _welsh, compiled_catalogue  # noqa: F401 - the .mo

    refused = StepRefused(N_("Hello, %(name)s"), name="Nia")
    assert str(refused) == "Hello, Nia"
    with app.test_request_context():
        assert refusal_text(refused) == "Hello, Nia"
        with force_locale("cy"):
            assert refusal_text(refused) == _welsh("Hello, %(name)s") % {"name": "Nia"}
            assert refusal_text(LedgerRefused(N_("Sign in"))) == _welsh("Sign in")
            # Anything else is shown as it is.
            assert refusal_text(ValueError("as it is")) == "as it is"
