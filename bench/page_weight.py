"""What a topic page costs a reader, before and after opening the composer.

Starts `folkmoot demo` on a free port with a throwaway data dir, signs in as the demo admin in
Debian's Chromium, opens the seed topic, and adds up the bytes of every response (uncompressed,
and gzip-compressed as a server with compression would send them). Then clicks the reply box
and counts again. Also prints the gzip size of the editor bundle files.

    uv run python bench/page_weight.py
"""

import gzip
from pathlib import Path

from playwright.sync_api import sync_playwright
from running_forum import running_forum

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "src/folkmoot/static/folkmoot/composer"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def main() -> None:
    print("Editor bundle (gzip -9):")
    for file in sorted(BUNDLE.iterdir()):
        raw, packed = file.stat().st_size, gz(file.read_bytes())
        print(f"  {file.name:24} {raw:>9,} B raw  {packed:>8,} B gzip")

    with running_forum("demo", port=8765) as forum:
        base = forum.base_url
        password = forum.admin_password
        topic = forum.seed_topic_path()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(base_url=base)
            page.goto("/accounts/login/")
            page.fill("input[name=login]", "admin")
            page.fill("input[name=password]", password)
            page.click("form button[type=submit]")
            page.wait_for_url(lambda url: "/login/" not in url)

            loaded = []
            page.on("response", lambda response: loaded.append(response))
            page.goto(topic)
            page.wait_for_load_state("networkidle")
            before = list(loaded)
            page.get_by_placeholder("Reply to this topic...").click()
            page.wait_for_selector("[data-composer-editor]")
            page.wait_for_load_state("networkidle")
            after = loaded[len(before) :]
            before = [(r.url, r.body()) for r in before]
            after = [(r.url, r.body()) for r in after]
            browser.close()

        def report(title: str, responses: list[tuple[str, bytes]]) -> None:
            raw = sum(len(body) for _, body in responses)
            packed = sum(gz(body) for _, body in responses)
            print(f"{title}: {len(responses)} responses, {raw:,} B raw, {packed:,} B gzip")
            for url, body in responses:
                print(f"  {url.removeprefix(base):60} {len(body):>9,} B  {gz(body):>8,} B gzip")

        report("Topic page (25 posts), signed in", before)
        report("Opening the composer adds", after)


if __name__ == "__main__":
    main()
