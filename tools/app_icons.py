"""Draw the installable app's PNG icons (192 and 512 px) from ``static/img/favicon.svg`` with
Debian's chromium, so that Android installs the app with a proper home-screen icon (it wants
PNGs of those sizes beside the SVG).

    python tools/app_icons.py
"""

import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "static" / "img"
SIZES = (192, 512)


def main():
    svg = (IMG / "favicon.svg").read_text(encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=["--no-sandbox"],
        )
        for size in SIZES:
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(
                "<style>html,body{margin:0}svg{display:block;width:100vw;height:100vh}</style>"
                + svg
            )
            page.screenshot(path=str(IMG / f"app-icon-{size}.png"), omit_background=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
