"""Markdown source → sanitized HTML ("cooked"), paid once at write time.

markdown-it-py parses CommonMark plus tables, strikethrough and autolinks with raw HTML
disabled; nh3 (ammonia) then enforces an allow-list on whatever came out, so even a parser
bug cannot smuggle markup through. Bump RENDERER_VERSION whenever the output changes and run
`folkmoot manage rerender_posts`.

A paragraph holding only a bare URL is an embed. Given a fetched preview for its URL, the
embed is drawn as a card (site, title, description, image); otherwise it stays a plain link.

Readers' browsers never load an image from another site: an image whose source is off-site is
drawn from our own copy (composer.RemoteImage, fetched by the worker after publishing, like
previews) and, until that copy exists, as a plain link to it. A card's image likewise shows
only from our copy. The sanitizer drops any off-site `src` that might still slip through.

The output is a pure function of (source, previews, images), so posts can be re-rendered any
time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from .models import LinkPreview, RemoteImage

# markdown-it (with linkify, ~70 modules) is imported at the first post rendered, nh3 (~1.9 MiB
# of Rust library) at the first sanitized text: a web process that only serves pages loads
# neither.

RENDERER_VERSION = 3  # 3: @mentions of members are links to their profiles

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
    "a": {"mention"},
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


# @name: not after a word character (so not an email address), a username's characters
# (Django's: letters, digits and @.+-_), not ending in a dot (the end of a sentence).
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]*[\w+-])")


def _text_children(tokens: list[Token]):
    """Every plain text token of the inline content, outside links (code is its own type)."""
    for token in tokens:
        if token.type != "inline":
            continue
        in_link = 0
        for index, child in enumerate(token.children or []):
            if child.type == "link_open":
                in_link += 1
            elif child.type == "link_close":
                in_link -= 1
            elif child.type == "text" and not in_link:
                yield token, index, child


def mention_names_in(tokens: list[Token]) -> list[str]:
    """The names @mentioned in the text (each once, in order, as written)."""
    names = [
        m[1] for _t, _i, child in _text_children(tokens) for m in MENTION.finditer(child.content)
    ]
    return list(dict.fromkeys(names))


def _with_mentions(tokens: list[Token], members: Mapping[str, str]) -> list[Token]:
    """@name of a member (`members` maps a lowercased name to the username) as a link to
    their profile; any other @word stays text."""
    if not members:
        return tokens
    for inline, _index, child in reversed(list(_text_children(tokens))):
        pieces: list[Token] = []
        last = 0
        for match in MENTION.finditer(child.content):
            username = members.get(match[1].lower())
            if username is None:
                continue
            pieces.append(_text(child.content[last : match.start()]))
            link = _token("link_open", "a", 1)
            link.attrSet("href", f"/u/{quote(username)}/")
            link.attrSet("class", "mention")
            pieces += [link, _text(f"@{username}"), _token("link_close", "a", -1)]
            last = match.end()
        if pieces:
            pieces.append(_text(child.content[last:]))
            position = inline.children.index(child)
            inline.children[position : position + 1] = pieces
    return tokens


def _text(content: str) -> Token:
    token = _token("text", "", 0)
    token.content = content
    return token


def _with_cards(tokens: list[Token], previews) -> list[Token]:
    """Mark each embed paragraph; where a preview was fetched for its URL, put a card token
    in place of the paragraph. Done on the parsed tokens, not inside the parser, so a body is
    parsed once whatever is fetched for it."""
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
            card = _token("embed_card", "aside", 0)
            card.block = True
            card.level = tokens[index].level
            card.meta = {"url": url, "preview": preview}
            out.append(card)
            index += 3  # paragraph_open, inline, paragraph_close
            continue
        tokens[index].attrSet("class", "embed")
        out.append(tokens[index])
        index += 1
    return out


def is_local_src(src: str) -> bool:
    """Whether an image source is on our own site (a path, no scheme, no host). Browsers
    ignore tabs and newlines in URLs and read a backslash as a slash, so those count as
    off-site too."""
    if not src or any(ch.isspace() or ch == "\\" or ord(ch) < 0x20 for ch in src):
        return False
    parts = urlsplit(src)
    return not parts.scheme and not parts.netloc and not src.startswith("//")


def is_remote_image(src: str) -> bool:
    """An http(s) image from another site, which the worker may copy."""
    return not is_local_src(src) and urlsplit(src).scheme in ("http", "https")


def _local_copy(env, url: str) -> RemoteImage | None:
    copy = (env.get("images") or {}).get(url)
    return copy if copy is not None and copy.is_ok else None


def _render_image(self, tokens: list[Token], index: int, options, env) -> str:
    """An off-site image is drawn from our copy, or as a plain link until there is one."""
    token = tokens[index]
    src = str(token.attrGet("src") or "")
    if is_local_src(src):
        return self.image(tokens, index, options, env)
    copy = _local_copy(env, src)
    if copy is not None:
        token.attrSet("src", copy.file.url)
        token.attrSet("width", str(copy.width))
        token.attrSet("height", str(copy.height))
        return self.image(tokens, index, options, env)
    alt = self.renderInlineAsText(token.children or [], options, env)
    return f'<a href="{escape(src)}">{escape(alt or src)}</a>'


def _render_card(self, tokens: list[Token], index: int, options, env) -> str:
    """Every text is escaped here, and the whole output goes through sanitize() after."""
    url = tokens[index].meta["url"]
    preview = tokens[index].meta["preview"]
    parts = [f'<aside class="embed-card"><a href="{escape(url)}">']
    copy = _local_copy(env, preview.image_url or "")
    if copy is not None:
        parts.append(
            f'<img class="embed-image" src="{escape(copy.file.url)}" alt=""'
            f' width="{copy.width}" height="{copy.height}">'
        )
    if preview.site_name:
        parts.append(f'<span class="embed-site">{escape(preview.site_name)}</span>')
    parts.append(f'<span class="embed-title">{escape(preview.title)}</span>')
    if preview.description:
        parts.append(f'<span class="embed-description">{escape(preview.description)}</span>')
    parts.append("</a></aside>\n")
    return "".join(parts)


def _token(kind: str, tag: str, nesting: int) -> Token:
    from markdown_it.token import Token

    return Token(kind, tag, nesting)


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    parser.enable(["table", "strikethrough", "linkify"])
    parser.add_render_rule("embed_card", _render_card)
    parser.add_render_rule("image", _render_image)
    return parser


def sanitize(html: str) -> str:
    """The one sanitizer: every user-supplied byte that reaches a page goes through it."""
    import nh3

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        # nh3 keeps lang and title on every element unless "*" says otherwise: the list is whole.
        attributes={**ALLOWED_ATTRIBUTES, "*": set()},
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_only_local_image_sources,
    )


def _only_local_image_sources(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src" and not is_local_src(value):
        return None
    return value


def parse(source: str) -> list[Token]:
    """The Markdown parsed, once: the costly step (hostile input can take seconds)."""
    return _parser().parse(source, {})


def render_tokens(
    tokens: list[Token],
    previews: Mapping[str, LinkPreview] | None = None,
    images: Mapping[str, RemoteImage] | None = None,
    members: Mapping[str, str] | None = None,
) -> str:
    """Cooked HTML for parsed tokens (used up: rendering changes them). `members` maps the
    lowercased names the text mentions to the usernames of the members they are."""
    env = {"previews": previews or {}, "images": images or {}}
    tokens = _with_mentions(tokens, members or {})
    parser = _parser()
    html = parser.renderer.render(_with_cards(tokens, previews or {}), parser.options, env)
    return sanitize(html)


def render_markdown(
    source: str,
    previews: Mapping[str, LinkPreview] | None = None,
    images: Mapping[str, RemoteImage] | None = None,
) -> str:
    """Cooked HTML for `source`; `previews` maps embed URLs to their fetched previews, and
    `images` off-site image URLs to our copies of them."""
    return render_tokens(parse(source), previews, images)


def embed_urls_in(tokens: list[Token]) -> list[str]:
    """The URLs that stand alone in their paragraphs (each once, in order): the links that
    get a preview card."""
    urls = [_embed_url(tokens, i) for i in range(len(tokens) - 2)]
    return list(dict.fromkeys(url for url in urls if url))


def embed_urls(source: str) -> list[str]:
    return embed_urls_in(parse(source))


def remote_image_urls(source: str) -> list[str]:
    return remote_image_urls_in(parse(source))


def remote_image_urls_in(tokens: list[Token]) -> list[str]:
    """The off-site http(s) images the source shows (each once, in order)."""
    urls = []
    for token in tokens:
        for child in token.children or []:
            src = str(child.attrGet("src") or "") if child.type == "image" else ""
            if is_remote_image(src):
                urls.append(src)
    return list(dict.fromkeys(urls))
