"""Driving the composer in a real page: open it, paste into it, read what it will submit."""

from importlib import resources

from playwright.sync_api import Page

EDITOR = "[data-composer-editor]"
NOTICES = "[data-composer-notices]"


def open_composer(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_placeholder("Reply to this topic...").click()
    page.wait_for_selector(EDITOR)


# A paste as the browser makes it: a ClipboardEvent carrying text/html, text/plain or a file.
_DISPATCH_PASTE = """({ html, text, file }) => {
    const data = new DataTransfer()
    if (html) data.setData('text/html', html)
    if (text) data.setData('text/plain', text)
    if (file) data.items.add(new File([new Uint8Array(file.bytes)], file.name, { type: file.mime }))
    const init = { clipboardData: data, bubbles: true, cancelable: true }
    const event = new ClipboardEvent('paste', init)
    document.querySelector('[data-composer-editor]').dispatchEvent(event)
}"""


# The HTML pasted in this test: the policy may refuse its inline styles and handlers while
# the editor parses it (see tests/browser/conftest.py, is_pasted_junk).
PASTED_HTML: list[str] = []


def paste(page: Page, *, html: str | None = None, text: str | None = None) -> None:
    if html:
        PASTED_HTML.append(html)
    page.evaluate(_DISPATCH_PASTE, {"html": html, "text": text, "file": None})


def paste_file(page: Page, *, name: str, content: bytes, mime: str) -> None:
    file = {"name": name, "bytes": list(content), "mime": mime}
    page.evaluate(_DISPATCH_PASTE, {"html": None, "text": None, "file": file})


def markdown(page: Page) -> str:
    """What the form will submit: the editor keeps the hidden textarea in step."""
    return page.eval_on_selector("textarea[name=body]", "t => t.value")


def seed_article_html() -> str:
    """The seed article as a browser copies it from a news page: paragraphs, a link, emphasis,
    and the "Spotlight" aside, plus the junk such pages carry."""
    source = resources.files("folkmoot").joinpath("demo_content/seed_article.md").read_text()
    paragraphs = [p for p in source.split("\n\n") if p.strip()]
    first = paragraphs[0].replace(
        "a monitoring group said",
        '<a href="https://www.syriahr.com/en/">a <em>monitoring group</em> said</a>',
    )
    body = [f"<p>{first}</p>"] + [f"<p>{p}</p>" for p in paragraphs[1:4]]
    body.append(
        "<aside><h3>Spotlight</h3><p><strong>In-depth coverage of escalating violence across "
        "Syria</strong></p></aside>"
    )
    body += [f"<p>{p}</p>" for p in paragraphs[4:]]
    junk = (
        "<script>window.pasted_script_ran = true</script>"
        "<style>body { display: none }</style>"
        '<img src="https://tracker.example/pixel.gif" width="1" height="1">'
        '<div style="display:none">hidden promo</div>'
        '<p onclick="window.pasted_handler_ran = true">Read more</p>'
    )
    return "<meta charset='utf-8'><article>" + "".join(body) + junk + "</article>"
