"""Screenshots of the main pages, light and dark, at 390 and 1280 px wide, in Chromium.

Run against a running forum (`uv run folkmoot demo` prints the admin's password):

    uv run python bench/screenshots.py http://127.0.0.1:8000 shots/ --admin-password PASSWORD

Writes <page>-<width>-<theme>.png (the first screen, and with --full-page the whole page).
"""

import argparse
import re
from pathlib import Path
from urllib.request import urlopen

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
WIDTHS = (390, 1280)
THEMES = ("light", "dark")


def first_topic_path(base: str) -> tuple[str, str]:
    """The first category's and the first topic's paths, read from the pages themselves."""
    index = urlopen(base + "/").read().decode()
    category = re.search(r'<h2><a href="(/c/[^"]+)"', index).group(1)
    listing = urlopen(base + category).read().decode()
    topic = re.search(r'class="topic-title topic-title-link" href="(/t/[^"]+)"', listing).group(1)
    return category, topic


def pages(base: str) -> dict[str, tuple[str, bool]]:
    """name -> (path, needs a signed-in member)."""
    category, topic = first_topic_path(base)
    return {
        "index": ("/", False),
        "category": (category, False),
        "topic": (topic, False),
        "topic-permalink": (topic + "#post-2", False),
        "sign-in": ("/accounts/login/", False),
        "sign-up": ("/accounts/signup/", False),
        "password-reset": ("/accounts/password/reset/", False),
        "not-found": ("/no-such-page/", False),
        "search": ("/search/?q=the", False),
        "topic-member": (topic, True),
        "reply-box": (topic + "?page=2#reply", True),
        "new-topic": (category.rstrip("/") + "/new/", True),
        "email": ("/accounts/email/", True),
        "moderation": ("/mod/queue/", True),
        "profile": ("/u/admin/", True),
        "settings": ("/settings/", True),
    }


def sign_in(page, base: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", "admin")
    page.fill("input[name=password]", password)
    page.click("form.account-form button[type=submit]")
    page.wait_for_load_state()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the forum's address, e.g. http://127.0.0.1:8000")
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--admin-password", help="to screenshot the signed-in pages too")
    parser.add_argument("--full-page", action="store_true", help="the whole page, not one screen")
    parser.add_argument("--only", help="a comma-separated list of page names")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = pages(base)
    if args.only:
        wanted = {name: wanted[name] for name in args.only.split(",")}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for theme in THEMES:
            for width in WIDTHS:
                context = browser.new_context(
                    viewport={"width": width, "height": 844 if width < 600 else 900},
                    color_scheme=theme,
                    device_scale_factor=1,
                )
                page = context.new_page()
                signed_in = False
                for name, (path, member) in sorted(wanted.items(), key=lambda item: item[1][1]):
                    if member and not args.admin_password:
                        continue
                    if member and not signed_in:
                        sign_in(page, base, args.admin_password)
                        signed_in = True
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    shot = args.out / f"{name}-{width}-{theme}.png"
                    page.screenshot(path=str(shot), full_page=args.full_page)
                    print(shot)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
