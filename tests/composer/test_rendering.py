import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from folkmoot.composer.rendering import ALLOWED_TAGS, render_markdown, sanitize

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<svg><script>alert(1)</script></svg>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<p onmouseover="alert(1)">hover</p>',
    "<style>body{display:none}</style>",
    "``` \n</code><script>alert(1)</script>\n```",
]
SAFE_SCHEMES = {"http", "https", "mailto"}


class LiveMarkup(HTMLParser):
    """Collects what a browser would treat as markup: tags and their attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.problems: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"attribute {name}")
            scheme = re.match(r"\s*([a-z][a-z0-9+.-]*):", value or "", re.I)
            if name in ("href", "src") and scheme and scheme[1].lower() not in SAFE_SCHEMES:
                self.problems.append(f"{name}={value}")


def test_hostile_markdown_comes_out_inert():
    for source in HOSTILE:
        assert LiveMarkup(render_markdown(source)).problems == [], source


def test_hostile_html_given_straight_to_the_sanitizer_comes_out_inert():
    for source in HOSTILE:
        assert LiveMarkup(sanitize(source)).problems == [], source


def test_links_are_marked_user_generated_and_nofollow():
    html = render_markdown("[site](https://example.org) and https://example.net/page")
    assert html.count('rel="nofollow ugc noopener"') == 2


def test_commonmark_tables_strikethrough_and_autolinks_render():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ see www.example.org")
    assert "<table>" in html and "<td>1</td>" in html
    assert "<s>gone</s>" in html
    assert 'href="http://www.example.org"' in html


def test_a_url_alone_in_its_paragraph_is_marked_as_an_embed_and_a_written_link_is_not():
    html = render_markdown(
        "https://example.org/story\n\n[https://example.org/x](https://example.org/x)"
    )
    assert '<p class="embed"><a href="https://example.org/story"' in html
    assert html.count('class="embed"') == 1


def test_the_sanitizer_keeps_only_allowed_classes():
    assert sanitize('<p class="embed evil">x</p>') == '<p class="embed">x</p>'


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>\"'=/:;&#()[]!*`~ ajvscriptonerlodimgfhref"))))
def test_no_generated_input_produces_live_markup(source):
    assert LiveMarkup(render_markdown(source)).problems == []
