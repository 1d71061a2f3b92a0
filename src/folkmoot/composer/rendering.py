"""Markdown source → sanitized HTML ("cooked"), paid once at write time.

markdown-it-py parses CommonMark plus tables, strikethrough and autolinks with raw HTML
disabled; nh3 (ammonia) then enforces an allow-list on whatever came out, so even a parser
bug cannot smuggle markup through. Bump RENDERER_VERSION whenever the output changes and run
`folkmoot manage rerender_posts`.
"""

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

RENDERER_VERSION = 1

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "aside",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_CLASSES = {"p": {"embed"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


def _mark_embeds(state: StateCore) -> None:
    """A paragraph holding nothing but one bare URL is an embed (a preview card, later)."""
    tokens = state.tokens
    for index in range(1, len(tokens) - 1):
        inline = tokens[index]
        if inline.type != "inline" or tokens[index - 1].type != "paragraph_open":
            continue
        children = [c for c in inline.children or [] if not (c.type == "text" and not c.content)]
        if (
            len(children) == 3
            and children[0].type == "link_open"
            and children[0].markup == "linkify"
            and children[2].type == "link_close"
        ):
            tokens[index - 1].attrSet("class", "embed")


def _build_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    parser.enable(["table", "strikethrough", "linkify"])
    parser.core.ruler.push("folkmoot_embeds", _mark_embeds)
    return parser


_parser = _build_parser()


def sanitize(html: str) -> str:
    """The one sanitizer: every user-supplied byte that reaches a page goes through it."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(source: str) -> str:
    return sanitize(_parser.render(source))
