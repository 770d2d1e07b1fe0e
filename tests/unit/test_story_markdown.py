"""Story Markdown: rendered to safe HTML (markdown-it, then nh3), or to plain text."""

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from participate.stories.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    LINK_REL,
    excerpt_text,
    is_blank,
    render,
)


class Tags(HTMLParser):
    """Every start tag in a fragment, with its attributes (values unescaped)."""

    def __init__(self, fragment):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def tags(fragment):
    return Tags(str(fragment)).tags


def links(fragment):
    return [attrs for tag, attrs in tags(fragment) if tag == "a"]


def href_is_safe(href):
    # What a browser would do: drop ASCII tab/newline and surrounding controls/spaces.
    cleaned = re.sub(r"[\t\n\r]", "", html.unescape(href)).strip("\x00- ").lower()
    scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", cleaned)
    return scheme is None or scheme.group(1) in {"http", "https", "mailto"}


def assert_safe(out):
    text = str(out)
    lower = text.lower()
    assert "<script" not in lower
    assert "<style" not in lower
    assert "<img" not in lower
    assert not re.search(r"<[^>]*\son\w+\s*=", text, re.I), text
    assert not re.search(r"<[^>]*\sstyle\s*=", text, re.I), text
    assert not re.search(r"<[^>]*\shref\s*=\s*[\"']?\s*javascript:", text, re.I), text
    for tag, attrs in tags(text):
        assert tag in ALLOWED_TAGS, text
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        assert set(attrs) <= allowed, text
        if tag == "a":
            assert attrs["rel"] == LINK_REL
            assert href_is_safe(attrs.get("href", "")), text


# --- ordinary Markdown -------------------------------------------------------------------


def test_returns_markup_that_jinja_will_not_escape_again():
    out = render("hello")
    assert isinstance(out, Markup)
    assert str(escape(out)) == str(out) == "<p>hello</p>\n"


def test_empty_and_none_render_nothing():
    assert render("") == Markup("")
    assert render(None) == Markup("")


def test_bold_and_italic():
    assert str(render("**bold** and *soft*")) == "<p><strong>bold</strong> and <em>soft</em></p>\n"
    assert "<strong>b</strong>" in render("__b__")


def test_paragraphs_and_single_newlines_are_kept():
    out = str(render("first line\nsecond line\n\nnew paragraph"))
    assert out == "<p>first line<br>\nsecond line</p>\n<p>new paragraph</p>\n"


def test_lists_and_start_number():
    assert str(render("- a\n- b")) == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
    out = str(render("3. three\n4. four"))
    assert out.startswith('<ol start="3">\n<li>three</li>')


def test_block_quote():
    assert str(render("> they said no")) == "<blockquote>\n<p>they said no</p>\n</blockquote>\n"


def test_code_inline_and_block_without_class():
    assert "<code>x &lt; y</code>" in render("`x < y`")
    out = str(render("```python\nif a < b:\n    pass\n```"))
    assert out == "<pre><code>if a &lt; b:\n    pass\n</code></pre>\n"
    assert "class" not in out


def test_horizontal_rule():
    assert str(render("a\n\n---\n\nb")) == "<p>a</p>\n<hr>\n<p>b</p>\n"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# Title", "<h3>Title</h3>\n"),
        ("## Section", "<h3>Section</h3>\n"),
        ("### Sub", "<h4>Sub</h4>\n"),
        ("#### Four", "<h4>Four</h4>\n"),
        ("###### Six", "<h4>Six</h4>\n"),
        ("Setext one\n===", "<h3>Setext one</h3>\n"),
        ("Setext two\n---", "<h3>Setext two</h3>\n"),
    ],
)
def test_headings_are_demoted_to_h3_and_h4(source, expected):
    assert str(render(source)) == expected


def test_no_story_can_add_an_h1_or_h2():
    out = str(render("# a\n## b\n### c\n#### d\n##### e\n###### f"))
    assert not re.search(r"<h[1256]", out)
    assert out.count("<h3>") == 2 and out.count("<h4>") == 4


# --- links ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["https://example.org/a?b=1&c=2", "http://example.org", "mailto:someone@example.org"]
)
def test_allowed_links_get_rel_and_no_target(url):
    out = render(f"[x]({url})")
    (attrs,) = links(out)
    assert attrs["href"] == url
    assert attrs["rel"] == "noopener noreferrer nofollow"
    assert "target" not in attrs
    assert_safe(out)


def test_link_title_is_kept():
    (attrs,) = links(render('[x](https://example.org "A title")'))
    assert attrs["title"] == "A title"


def test_relative_link_is_allowed():
    (attrs,) = links(render("[our page](/spaces/1)"))
    assert attrs["href"] == "/spaces/1"


def test_autolink():
    out = str(render("<https://example.org>"))
    assert out == (
        '<p><a href="https://example.org" rel="noopener noreferrer nofollow">'
        "https://example.org</a></p>\n"
    )


def test_email_autolink():
    (attrs,) = links(render("<someone@example.org>"))
    assert attrs["href"] == "mailto:someone@example.org"


def test_bare_urls_are_not_linkified():
    assert links(render("see https://example.org")) == []


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java\tscript:alert(1))",
        "[x](java\nscript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](&#106;avascript:alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x]( javascript:alert(1))",
        "[x](\x01javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](DATA:text/html,<script>alert(1)</script>)",
        "[x](vbscript:msgbox(1))",
        "[x](file:///etc/passwd)",
        "[x](ftp://example.org/file)",
        "[x](tel:+441234)",
        "<javascript:alert(1)>",
        "<vbscript:msgbox(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
    ],
)
def test_dangerous_or_unlisted_schemes_are_not_links(source):
    out = render(source)
    for attrs in links(out):  # nh3 keeps an <a> whose scheme is unlisted, minus its href
        assert "href" not in attrs, str(out)
    assert "href" not in str(out)
    assert_safe(out)


def test_percent_encoded_scheme_is_only_a_relative_path():
    # "%" cannot appear in a scheme, so a browser reads this as a path on our own site.
    (attrs,) = links(render("[x](java%0ascript:alert(1))"))
    assert attrs["href"] == "java%0ascript:alert(1)"
    assert href_is_safe(attrs["href"])


def test_javascript_link_text_stays_visible_but_inert():
    out = str(render("[x](javascript:alert(1))"))
    assert out == "<p>[x](javascript:alert(1))</p>\n"


# --- raw HTML is escaped, never passed through ---------------------------------------------


def test_script_tag_is_escaped():
    out = str(render("<script>alert(1)</script>"))
    assert out == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    assert_safe(out)


def test_script_block_inside_text_is_escaped():
    out = str(render("hello\n\n<script>\nalert(1)\n</script>\n\nbye"))
    assert "&lt;script&gt;" in out and "<script" not in out


def test_img_onerror_is_escaped():
    out = str(render("<img src=x onerror=alert(1)>"))
    assert out == "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"
    assert_safe(out)


def test_raw_anchor_is_escaped():
    out = str(render('<a href="javascript:alert(1)">click</a>'))
    # nh3 re-serialises text, so the quotes come back bare: harmless outside a tag.
    assert out == '<p>&lt;a href="javascript:alert(1)"&gt;click&lt;/a&gt;</p>\n'
    assert links(out) == []


def test_style_element_is_inert():
    out = str(render("<style>body{display:none}</style>"))
    assert "<style" not in out and "&lt;style&gt;" in out
    assert_safe(out)


def test_style_attribute_is_inert():
    out = str(render('<div style="position:fixed;inset:0">cover</div>'))
    assert "<div" not in out and "&lt;div style=" in out
    assert tags(out) == [("p", {})]


@pytest.mark.parametrize(
    "source",
    [
        '<iframe src="https://evil.example"></iframe>',
        "<svg onload=alert(1)>",
        '<form action="https://evil.example"><input name=p></form>',
        "<!-- hidden --> text",
        '<p class="x" id="y">p</p>',
        "<details open ontoggle=alert(1)>",
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    ],
)
def test_other_raw_html_is_escaped(source):
    out = str(render(source))
    assert tags(out) == [("p", {})], out
    assert out.startswith("<p>&lt;")


# --- images --------------------------------------------------------------------------------


def test_image_renders_its_alt_text_only():
    out = str(render("![a cat on a wall](http://evil/x.png)"))
    assert out == "<p>a cat on a wall</p>\n"
    assert "evil" not in out


def test_image_alt_text_is_escaped_and_plain():
    out = str(render('![**bold** <b>"x"</b>](x.png "t")'))
    assert "<img" not in out and "<b>" not in out and "<strong>" not in out
    assert "bold &lt;b&gt;" in out
    assert_safe(out)


def test_image_inside_link_keeps_the_link():
    out = render("[![logo](https://e.org/l.png)](https://e.org)")
    assert str(out) == (
        '<p><a href="https://e.org" rel="noopener noreferrer nofollow">logo</a></p>\n'
    )


def test_reference_image_and_javascript_image():
    assert "<img" not in str(render("![alt][i]\n\n[i]: https://e.org/x.png"))
    out = str(render("![alt](javascript:alert(1))"))
    assert "<img" not in out and "href" not in out


# --- property: nothing dangerous ever comes out ---------------------------------------------

FRAGMENTS = [
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "JaVaScRiPt:",
    "vbscript:", "data:text/html,", "[x](", "](", ")", "<", ">", '"', "'", "`", "```\n",
    "![a](", "<https://", "<a href=", "style=", " onclick=", "onload=alert(1)", "&#106;",
    "&lt;", "\n", "\n\n", "    ", "# ", "> ", "- ", "1. ", "*", "_", "\\", "\t", "\x00",
    "[r]: ", "[r]", "<style>", "<div ", "/>", "&", ";", ":", "%0a", "http://", "mailto:",
]
story_text = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)), max_size=30).map(
        "".join
    ),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(story_text)
def test_property_rendered_html_is_always_safe(text):
    out = render(text)
    assert isinstance(out, Markup)
    assert_safe(out)


@settings(max_examples=200, deadline=None)
@given(story_text)
def test_property_excerpt_is_plain_str_and_blankness_agrees(text):
    plain = excerpt_text(text)
    assert type(plain) is str and not isinstance(plain, Markup)
    assert plain == plain.strip()
    assert is_blank(text) == (plain == "")


# --- plain text ----------------------------------------------------------------------------


def test_excerpt_strips_markup():
    source = (
        "# My *story*\n\nI went to **the** [council](https://e.org) and said `no`.\n\n"
        "> a quote\n\n- one\n- two\n\n![a photo](x.png)\n\n```\ncode here\n```"
    )
    assert excerpt_text(source) == (
        "My story\n\nI went to the council and said no.\n\na quote\n\none\ntwo\n\n"
        "a photo\n\ncode here"
    )


def test_excerpt_keeps_line_breaks_and_decodes_entities():
    assert excerpt_text("line one\nline two  \nthree") == "line one\nline two\nthree"
    assert excerpt_text("fish &amp; chips &copy; \\*not em\\*") == "fish & chips © *not em*"


def test_excerpt_keeps_raw_html_as_literal_text():
    # Plain text, not markup: a template escapes it, an export writes it as typed.
    assert excerpt_text("<b>hi</b> <script>x</script>") == "<b>hi</b> <script>x</script>"


def test_excerpt_of_a_link_is_its_text_not_its_url():
    assert excerpt_text("[the minutes](https://e.org/m.pdf)") == "the minutes"
    assert excerpt_text("<https://e.org>") == "https://e.org"


def test_excerpt_of_nothing():
    assert excerpt_text("") == ""
    assert excerpt_text(None) == ""


@pytest.mark.parametrize("text", [None, "", "   ", "\n\n\t\n", "---", "***\n\n___", "#", "> ", "- "])
def test_is_blank_true(text):
    assert is_blank(text)


@pytest.mark.parametrize("text", ["a", "  .  ", "# Title", "![alt](x.png)", "`0`", "<br>"])
def test_is_blank_false(text):
    assert not is_blank(text)
