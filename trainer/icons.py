"""The icon sprite (static/img/icons.svg, Lucide icons) and the ``icon(name)`` template helper."""

import re
from pathlib import Path

from flask import url_for
from markupsafe import Markup, escape

SPRITE = Path(__file__).resolve().parent.parent / "static" / "img" / "icons.svg"


def sprite_names(path=SPRITE):
    """The ids of the symbols in the sprite."""
    return frozenset(re.findall(r'<symbol id="([a-z0-9-]+)"', path.read_text(encoding="utf-8")))


def register_icons(app):
    """Give templates ``icon(name)``: a decorative inline SVG using the sprite's symbol."""
    names = sprite_names()

    def icon(name):
        # a typo must show in tests, not as an empty box on a page
        if name not in names:
            raise KeyError(f"no icon {name!r} in {SPRITE.name}")
        href = url_for("static", filename="img/icons.svg") + "#" + name
        # reviewed: a fixed tag around our own static URL, escaped; ``name`` is one of the
        # sprite's symbols (checked above)
        return Markup(  # nosec B704
            '<svg class="icon" aria-hidden="true" focusable="false">'
            f'<use href="{escape(href)}"></use></svg>'
        )

    app.jinja_env.globals["icon"] = icon
