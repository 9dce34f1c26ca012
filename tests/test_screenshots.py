"""tools/screenshots.py (issue 20): viewports by name, PNGs kept small, the before/after table;
and the images the README and docs/before-after.md show exist."""

import argparse
import importlib.util
import io
import random
import re
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("screenshots_tool", ROOT / "tools" / "screenshots.py")
screenshots = importlib.util.module_from_spec(spec)
spec.loader.exec_module(screenshots)


def test_viewports_by_name():
    assert screenshots.parse_viewports("phone, laptop") == [
        ("phone", {"width": 390, "height": 844}),
        ("laptop", {"width": 1366, "height": 900}),
    ]
    with pytest.raises(argparse.ArgumentTypeError, match="watch"):
        screenshots.parse_viewports("phone,watch")
    with pytest.raises(argparse.ArgumentTypeError):
        screenshots.parse_viewports(" , ")


def png_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_a_plain_page_stays_whole_and_becomes_a_palette_png(tmp_path):
    image = Image.new("RGB", (390, 1200), "white")
    image.paste((11, 87, 164), (0, 0, 390, 60))  # a header bar
    size = screenshots.save_png(png_bytes(image), tmp_path / "page.png")
    saved = Image.open(tmp_path / "page.png")
    assert saved.mode == "P" and saved.size == (390, 1200)
    assert size == (tmp_path / "page.png").stat().st_size


def test_a_noisy_long_page_is_cut_down_to_the_size_limit(tmp_path):
    rng = random.Random(20)
    greys = bytes(rng.choice((0, 40, 80, 120, 160, 200, 240, 255)) for _ in range(800 * 2400))
    image = Image.frombytes("L", (800, 2400), greys).convert("RGB")
    assert len(png_bytes(image)) > screenshots.MAX_BYTES
    size = screenshots.save_png(png_bytes(image), tmp_path / "noisy.png")
    saved = Image.open(tmp_path / "noisy.png")
    assert size <= screenshots.MAX_BYTES
    assert saved.width == 800 and 600 <= saved.height < 2400  # the top kept, the rest cut


def test_the_table_has_every_page_before_and_after_on_each_viewport(tmp_path):
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    viewports = screenshots.parse_viewports("phone,laptop")
    screenshots.write_table(
        tmp_path / "table.md", tmp_path / "before", tmp_path / "after", viewports
    )
    text = (tmp_path / "table.md").read_text(encoding="utf-8")
    for name, *_ in screenshots.PAGES:
        for viewport in ("phone", "laptop"):
            row = next(line for line in text.splitlines() if f"before/{name}-{viewport}" in line)
            assert f"](after/{name}-{viewport}.png)" in row
    assert text.count("| page | before | after |") == 2
    assert len(screenshots.PAGES) == 8


@pytest.mark.parametrize("document", ["README.md", "docs/before-after.md"])
def test_every_image_a_document_shows_exists_and_is_small(document):
    path = ROOT / document
    images = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", path.read_text(encoding="utf-8"))
    assert images
    for image in images:
        file = (path.parent / image).resolve()
        assert file.is_file(), image
        assert file.stat().st_size <= screenshots.MAX_BYTES, image
