"""Property tests of the server's render pipeline: random and hostile Markdown and HTML, and
link previews drawn from hostile pages, come out holding only allowed elements, attributes
and URLs. Each output is parsed with an HTML parser and every element and attribute is
checked against an allow-list; URLs are checked after entity decoding with whitespace and
control characters removed, as a browser reads them."""

import html
import re
import unicodedata
from html.parser import HTMLParser

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from folkmoot.composer.models import LinkPreview
from folkmoot.composer.previews import parse_page
from folkmoot.composer.rendering import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    LINK_REL,
    embed_urls,
    render_markdown,
    sanitize,
)

BOUNDED = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src"}

# --- The checker ---------------------------------------------------------------------------


def _url_scheme(value: str) -> str | None:
    """The scheme a browser would see: entities are already decoded by the parser; every
    whitespace, control and format character (tabs, NUL, zero-width, bidi) is dropped."""
    compact = "".join(
        ch
        for ch in value
        if not (ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp"))
    )
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", compact)
    return match[1].lower() if match else None


class Inspector(HTMLParser):
    """Everything in `html` a browser would treat as markup, checked against the allow-list."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"element <{tag}>")
        allowed = (
            ALLOWED_ATTRIBUTES.get(tag, set()) | {"class"} | ({"rel"} if tag == "a" else set())
        )
        for name, value in attrs:
            value = value or ""
            if name not in allowed:
                self.problems.append(f"attribute {name} on <{tag}>")
            elif name == "class" and not set(value.split()) <= ALLOWED_CLASSES.get(tag, set()):
                self.problems.append(f"class {value!r} on <{tag}>")
            elif name == "rel" and value != LINK_REL:
                self.problems.append(f"rel {value!r}")
            if name in URL_ATTRIBUTES or name.endswith("href"):
                scheme = _url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        # Text arrives raw (convert_charrefs=False): a literal "<" is a tag some other parser
        # might read; the sanitizer writes every "<" in text as &lt;.
        if "<" in data:
            self.problems.append(f"unescaped < in text {data!r}")

    def handle_comment(self, data):
        self.problems.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.problems.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.problems.append(f"declaration {data!r}")


def problems(markup: str) -> list[str]:
    return Inspector(markup).problems


# --- Hostile vocabulary ----------------------------------------------------------------------

TAGS = [
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "select",
    "option",
    "textarea",
    "keygen",
    "isindex",
    "svg",
    "math",
    "mglyph",
    "malignmark",
    "mtext",
    "mi",
    "annotation-xml",
    "foreignObject",
    "desc",
    "animate",
    "set",
    "noscript",
    "template",
    "xmp",
    "listing",
    "noembed",
    "noframes",
    "plaintext",
    "title",
    "base",
    "meta",
    "link",
    "img",
    "image",
    "a",
    "details",
    "video",
    "audio",
    "source",
    "body",
    "html",
    "head",
    "div",
    "p",
    "span",
    "table",
    "td",
    "marquee",
    "dialog",
    "portal",
    "use",
    "aside",
    "pre",
    "code",
    "blockquote",
    "ol",
    "li",
    "h1",
]
EVENTS = [
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "onfocus",
    "ontoggle",
    "onbegin",
    "onanimationstart",
    "OnErRoR",
    "onpointerenter",
]
URL_ATTRS = [
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "background",
    "poster",
    "srcdoc",
    "content",
    "codebase",
    "dynsrc",
    "lowsrc",
    "ping",
]
OTHER_ATTRS = [
    "style",
    "id",
    "name",
    "class",
    "http-equiv",
    "open",
    "autofocus",
    "is",
    "slot",
    "form",
    "target",
    "width",
    "height",
    "align",
    "start",
    "title",
    "alt",
    "rel",
]
CLASSES = ["embed", "embed-card", "embed-image", "embed-title", "evil", "embed evil", ""]
SCHEMES = [
    "javascript",
    "vbscript",
    "data",
    "livescript",
    "mocha",
    "file",
    "blob",
    "jar",
    "http",
    "https",
    "mailto",
    "feed",
    "view-source",
]
SCRIPT_BODIES = [
    "alert(1)",
    "text/html,<script>alert(1)</script>",
    "alert`1`",
    "text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "//evil.example/%0aalert(1)",
]
# Characters browsers drop or ignore in a URL scheme, and Unicode controls that confuse readers.
INVISIBLES = [
    "\t",
    "\n",
    "\r",
    "\x00",
    "\x01",
    "\x0b",
    "\x0c",
    "\x1f",
    " ",
    "\u00a0",
    "\u200b",
    "\u200d",
    "\u2028",
    "\u2029",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\u180e",
]
ENTITY_FORMS = [
    lambda ch: f"&#{ord(ch)};",
    lambda ch: f"&#x{ord(ch):x};",
    lambda ch: f"&#X{ord(ch):X}",
    lambda ch: f"&#000{ord(ch)};",
    lambda ch: {":": "&colon;", "\t": "&Tab;", "\n": "&NewLine;"}.get(ch, ch),
    lambda ch: f"%{ord(ch):02x}",
]


@st.composite
def obfuscated(draw, text: str) -> str:
    """`text` with random characters case-flipped, entity-encoded, or with invisibles around."""
    out = []
    for ch in text:
        roll = draw(st.integers(0, 9))
        if roll == 0:
            ch = ch.swapcase()
        elif roll == 1:
            ch = draw(st.sampled_from(ENTITY_FORMS))(ch)
        elif roll == 2:
            ch = draw(st.sampled_from(INVISIBLES)) + ch
        out.append(ch)
    return "".join(out)


@st.composite
def hostile_urls(draw) -> str:
    scheme = draw(st.sampled_from(SCHEMES))
    lead = draw(st.text(st.sampled_from(INVISIBLES), max_size=3))
    raw = f"{scheme}:{draw(st.sampled_from(SCRIPT_BODIES))}"
    return lead + draw(obfuscated(raw))


attribute_values = st.one_of(
    hostile_urls(),
    st.sampled_from(
        [
            "alert(1)",
            "x",
            "0",
            "</p><script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "--><svg onload=alert(1)>",
            "</style><img src=x onerror=alert(1)>",
            "refresh",
        ]
    ),
    st.sampled_from(CLASSES),
    st.text(max_size=8),
)


@st.composite
def attributes(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(EVENTS + URL_ATTRS + OTHER_ATTRS))
        value = draw(attribute_values)
        quote = draw(st.sampled_from(['"', "'", ""]))
        if not quote:
            value = re.sub(r"[\s>]", "", value) or "x"
        elif quote in value:
            value = value.replace(quote, html.escape(quote))
        parts.append(f" {name}={quote}{value}{quote}")
    return "".join(parts)


inline_text = st.one_of(
    st.sampled_from(
        [
            "hello",
            "alert(1)",
            "&lt;script&gt;",
            "&#60;img src=x onerror=alert(1)&#62;",
            "&amp;",
            "&#0;",
            "&#x202e;",
            "**",
            "_",
            "`",
            "<",
            ">",
            "\\",
            "](",
            "|",
            "~~",
        ]
    ),
    st.text(
        st.sampled_from(list("<>\"'=/:;&#()[]!*`~ ajvscriptonerlodimgfhref\n") + INVISIBLES),
        max_size=12,
    ),
)


def markdown_and_html(children):
    """One level of Markdown or HTML structure around `children` (strings)."""
    return st.one_of(
        st.builds(
            lambda t, a, c: f"<{t}{a}>{c}</{t}>", st.sampled_from(TAGS), attributes(), children
        ),
        st.builds(lambda t, a: f"<{t}{a}>", st.sampled_from(TAGS), attributes()),
        st.builds(lambda c, u: f"[{c}]({u})", children, hostile_urls()),
        st.builds(lambda c, u: f'[{c}]({u} "{c}")', children, hostile_urls()),
        st.builds(lambda c, u: f"![{c}]({u})", children, hostile_urls()),
        st.builds(lambda c, u: f"[{c}][r]\n\n[r]: {u}\n", children, hostile_urls()),
        st.builds(lambda u: f"<{u}>", hostile_urls()),
        st.builds(lambda u: f"\n\n{u}\n\n", hostile_urls()),
        st.builds(lambda c: f"**{c}**", children),
        st.builds(lambda c: f"`{c}`", children),
        st.builds(lambda c: f"\n```\n{c}\n```\n", children),
        st.builds(lambda c: f"\n> {c}\n", children),
        st.builds(lambda c: f"\n- {c}\n- {c}\n", children),
        st.builds(lambda c: f"\n# {c}\n", children),
        st.builds(lambda c: f"\n| a | {c} |\n|---|---|\n| {c} | b |\n", children),
        st.builds(lambda c: f"<!--{c}-->", children),
        st.builds(lambda c: f"<![CDATA[{c}]]>", children),
        st.builds(lambda a, b: a + b, children, children),
    )


documents = st.recursive(inline_text, markdown_and_html, max_leaves=12)


# --- Properties ----------------------------------------------------------------------------


@BOUNDED
@given(documents)
@example('[x](java&#x09;script:alert(1)) <a href="&#106;avascript:alert(1)">y</a>')
@example("<svg><p><style><img src=x onerror=alert(1)></style></p></svg>")
@example("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>")
@example("![x](\x01javascript:alert(1))\n\n[y](vbscript&colon;msgbox(1))")
def test_random_hostile_markdown_renders_only_allowed_markup(source):
    assert problems(render_markdown(source)) == []


@BOUNDED
@given(documents)
@example('<noscript><p title="</noscript><img src=x onerror=alert(1)>">')
@example("<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>")
@example('<a href="  java\tscript:alert(1)">x</a><img srcset="javascript:alert(1) 1x">')
@example(
    "<base href=javascript:alert(1)//><meta http-equiv=refresh content=0;url=javascript:alert(1)>"
)
def test_random_hostile_html_given_to_the_sanitizer_comes_out_allowed(source):
    assert problems(sanitize(source)) == []


preview_texts = st.one_of(documents, attribute_values, st.text(max_size=40))
preview_images = st.one_of(
    hostile_urls(),
    st.builds(lambda p: f"https://img.example/{p}", st.text(max_size=20)),
    st.builds(lambda p: f"HTTPS://img.example/{p}", attribute_values),
)
embed_lines = st.one_of(
    st.builds(
        lambda p: f"https://news.example/{p}",
        st.text(st.sampled_from("abc/?=&#%;_-.~"), max_size=12),
    ),
    st.sampled_from(
        [
            "https://news.example/a?x=<b>",
            'http://news.example/"onmouseover=alert(1)',
            "https://news.example/'><script>alert(1)</script>",
            "www.news.example/x",
        ]
    ),
)


@BOUNDED
@given(
    st.lists(st.one_of(embed_lines, documents), min_size=1, max_size=4),
    preview_texts,
    preview_texts,
    preview_texts,
    preview_images,
)
def test_hostile_previews_render_only_allowed_markup(blocks, title, description, site, image):
    source = "\n\n".join(blocks)
    previews = {
        url: LinkPreview(
            url=url,
            status=LinkPreview.Status.OK,
            title=title or "t",
            description=description,
            site_name=site,
            image_url=image,
        )
        for url in embed_urls(source)
    }
    cooked = render_markdown(source, previews)
    assert problems(cooked) == []
    assert ('<aside class="embed-card">' in cooked) == bool(previews)


@st.composite
def hostile_pages(draw) -> bytes:
    """A page whose title, description, site name and image are hostile, as a fetched preview
    would see it: meta tags with hostile contents, a <title> holding markup."""

    def meta(key):
        value = html.escape(draw(preview_texts), quote=True)
        attr = draw(st.sampled_from(["property", "name"]))
        return f'<meta {attr}="{key}" content="{value}">'

    image = html.escape(draw(preview_images), quote=True)
    head = "".join(
        [
            meta("og:title"),
            meta("og:description"),
            meta("og:site_name"),
            f'<meta property="og:image" content="{image}">',
            f"<title>{draw(documents)}</title>",
        ]
    )
    return f"<!doctype html><html><head>{head}</head><body>{draw(documents)}</body></html>".encode()


@BOUNDED
@given(hostile_pages())
def test_previews_parsed_from_hostile_pages_render_only_allowed_markup(page):
    url = "https://news.example/story"
    fields = parse_page(page, url=url)
    preview = LinkPreview(url=url, status=LinkPreview.Status.OK, **fields)
    preview.title = preview.title or "t"
    cooked = render_markdown(f"Read:\n\n{url}\n\nThanks", {url: preview})
    assert problems(cooked) == []
    assert '<aside class="embed-card">' in cooked


def test_the_checker_catches_what_it_looks_for():
    assert problems('<a href="java&#x09;script:alert(1)">x</a>') == [
        "href='java\\tscript:alert(1)' on <a>"
    ]
    assert problems('<img src="\x01&#x6a;avascript:x">') == ["src='\\x01javascript:x' on <img>"]
    assert problems('<p style="x" onclick="y">a</p>') == [
        "attribute style on <p>",
        "attribute onclick on <p>",
    ]
    assert problems("<svg><script>x</script></svg><!-- c -->") == [
        "element <svg>",
        "element <script>",
        "comment ' c '",
    ]
    assert problems('<p class="embed evil">x</p>') == ["class 'embed evil' on <p>"]


def test_attributes_outside_the_allow_list_are_dropped_from_every_element():
    # Found by hypothesis: nh3's default "generic" attributes (title, lang) were kept on any
    # element, e.g. <aside title="JAVASCRIPT:ALERT(1)">.
    assert problems(sanitize('<aside class="embed-card" title="x" lang="en">y</aside>')) == []
