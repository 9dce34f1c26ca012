"""The icon sprite and ``icon(name)`` (issue 20, item 10)."""

import re
from pathlib import Path

import pytest

from trainer.icons import SPRITE, sprite_names

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_every_icon_a_template_names_is_in_the_sprite():
    used = set()
    for path in TEMPLATES.rglob("*.html"):
        used |= set(re.findall(r"""icon\(["']([a-z0-9-]+)["']\)""", path.read_text("utf-8")))
    assert {"menu", "house", "calendar", "log-out"} <= used
    assert used <= sprite_names(), used - sprite_names()


def test_the_sprite_is_local_and_licensed():
    text = SPRITE.read_text(encoding="utf-8")
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert (SPRITE.parent / "icons-LICENSE.txt").read_text(encoding="utf-8").startswith("ISC")


def test_icon_renders_a_decorative_svg_using_the_sprite(app):
    with app.test_request_context("/"):
        html = str(app.jinja_env.globals["icon"]("house"))
        assert 'aria-hidden="true"' in html
        assert re.search(r'<use href="/static/img/icons\.svg\?v=[0-9a-f]{12}#house">', html)
        with pytest.raises(KeyError):
            app.jinja_env.globals["icon"]("no-such-icon")
