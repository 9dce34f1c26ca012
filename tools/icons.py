"""Build static/img/icons.svg, the icon sprite, from a checkout of Lucide (ISC licence).

Usage: python tools/icons.py PATH_TO_LUCIDE_CHECKOUT
Only the icons named in ICONS go in; add a name here and run it again.
"""

import re
import sys
from pathlib import Path

ICONS = [
    "award",
    "book-open",
    "calendar",
    "calendar-plus",
    "chart-column",
    "check",
    "download",
    "file-down",
    "file-up",
    "house",
    "inbox",
    "key-round",
    "languages",
    "list-checks",
    "log-out",
    "menu",
    "network",
    "qr-code",
    "scroll-text",
    "search",
    "upload",
    "user-cog",
    "user-plus",
    "users",
]
OUT = Path(__file__).resolve().parent.parent / "static" / "img" / "icons.svg"


def symbol(name, source):
    """One ``<symbol>``: the icon's shapes, without its outer ``<svg>``."""
    body = re.search(r"<svg[^>]*>(.*)</svg>", source, re.S).group(1)
    shapes = " ".join(line.strip() for line in body.strip().splitlines())
    return f'<symbol id="{name}" viewBox="0 0 24 24">{shapes}</symbol>'


def main(checkout):
    icons = Path(checkout) / "icons"
    symbols = [symbol(name, (icons / f"{name}.svg").read_text(encoding="utf-8")) for name in ICONS]
    OUT.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg">\n'
        "<!-- Lucide icons (https://lucide.dev), ISC licence: see icons-LICENSE.txt -->\n"
        + "\n".join(symbols)
        + "\n</svg>\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(sys.argv[1])
