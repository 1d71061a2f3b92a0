"""Markdown source → sanitized HTML ("cooked"), paid once at write time.

markdown-it-py parses CommonMark plus tables, strikethrough and autolinks with raw HTML
disabled; nh3 (ammonia) then enforces an allow-list on whatever came out, so even a parser
bug cannot smuggle markup through. Bump RENDERER_VERSION whenever the output changes and run
`folkmoot manage rerender_posts`.

A paragraph holding only a bare URL is an embed. Given a fetched preview for its URL, the
embed is drawn as a card (site, title, description, image); otherwise it stays a plain link.
The output is a pure function of (source, previews), so posts can be re-rendered any time.
"""

from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

if TYPE_CHECKING:
    from .models import LinkPreview

RENDERER_VERSION = 1

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "aside", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_CLASSES = {
    "p": {"embed"},
    "aside": {"embed-card"},
    "img": {"embed-image"},
    "span": {"embed-site", "embed-title", "embed-description"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


def _embed_url(tokens: list[Token], index: int) -> str | None:
    """The URL when tokens[index] opens a shown paragraph holding nothing but one bare URL."""
    if tokens[index].type != "paragraph_open" or tokens[index].hidden:
        return None
    inline = tokens[index + 1]
    if inline.type != "inline":
        return None
    children = [c for c in inline.children or [] if not (c.type == "text" and not c.content)]
    if (
        len(children) == 3
        and children[0].type == "link_open"
        and children[0].markup == "linkify"
        and children[2].type == "link_close"
    ):
        return str(children[0].attrGet("href") or "") or None
    return None


def _mark_embeds(state: StateCore) -> None:
    """Mark each embed paragraph; where a preview was fetched for its URL, put a card token
    in place of the paragraph."""
    previews = state.env.get("previews") or {}
    tokens = state.tokens
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        url = _embed_url(tokens, index) if index + 2 < len(tokens) else None
        if url is None:
            out.append(tokens[index])
            index += 1
            continue
        preview = previews.get(url)
        if preview is not None and preview.is_ok and preview.title:
            card = Token("embed_card", "aside", 0)
            card.block = True
            card.level = tokens[index].level
            card.meta = {"url": url, "preview": preview}
            out.append(card)
            index += 3  # paragraph_open, inline, paragraph_close
            continue
        tokens[index].attrSet("class", "embed")
        out.append(tokens[index])
        index += 1
    state.tokens = out


def _render_card(self, tokens: list[Token], index: int, options, env) -> str:
    """Every text is escaped here, and the whole output goes through sanitize() after."""
    url = tokens[index].meta["url"]
    preview = tokens[index].meta["preview"]
    parts = [f'<aside class="embed-card"><a href="{escape(url)}">']
    image = preview.image_url or ""
    if image.lower().startswith("https://"):
        parts.append(f'<img class="embed-image" src="{escape(image)}" alt="">')
    if preview.site_name:
        parts.append(f'<span class="embed-site">{escape(preview.site_name)}</span>')
    parts.append(f'<span class="embed-title">{escape(preview.title)}</span>')
    if preview.description:
        parts.append(f'<span class="embed-description">{escape(preview.description)}</span>')
    parts.append("</a></aside>\n")
    return "".join(parts)


def _build_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    parser.enable(["table", "strikethrough", "linkify"])
    parser.core.ruler.push("folkmoot_embeds", _mark_embeds)
    parser.add_render_rule("embed_card", _render_card)
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


def render_markdown(source: str, previews: Mapping[str, "LinkPreview"] | None = None) -> str:
    """Cooked HTML for `source`; `previews` maps embed URLs to their fetched previews."""
    return sanitize(_parser.render(source, {"previews": previews or {}}))


def embed_urls(source: str) -> list[str]:
    """The URLs that stand alone in their paragraphs (each once, in order): the links that
    get a preview card."""
    tokens = _parser.parse(source, {})
    urls = [_embed_url(tokens, i) for i in range(len(tokens) - 2)]
    return list(dict.fromkeys(url for url in urls if url))
