"""What a certificate design says: wording with placeholders, colours, blocks, page.

Plain values, no HTML: the template escapes every word, and a placeholder becomes a value
only through ``sentence_parts``. The default is the look certificates had before designs.
"""

import re
from dataclasses import dataclass, field

#: Placeholders a body sentence may use, and what each stands for.
PLACEHOLDERS = ("name", "unit", "level", "modules", "date", "number", "honorific")
BLOCKS = ("frame", "motto", "emblem", "modules", "qr", "signature")
ORIENTATIONS = ("landscape", "portrait")
COLOURS = ("primary", "accent", "title", "text")
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_TOKEN = re.compile(r"\{([^{}]*)\}")

MAX_TITLE, MAX_SENTENCE, MAX_SENTENCES = 120, 300, 8


@dataclass(frozen=True)
class DesignSpec:
    """The content of one design version (what the renderer needs)."""

    title: str = "GIẤY CHỨNG NHẬN"
    subtitle: str = "bồi dưỡng kỹ năng số"
    body: tuple = ("Chứng nhận {honorific}", "{name}", "{unit}", "Đạt {level}")
    orientation: str = "landscape"
    colours: dict = field(
        default_factory=lambda: {
            "primary": "#16325c",
            "accent": "#b8912f",
            "title": "#b3261e",
            "text": "#1d2430",
        }
    )
    blocks: tuple = BLOCKS
    emblem_image: str | None = None  # the sha256 of a stored design image
    signature_image: str | None = None

    def shows(self, block):
        return block in self.blocks


DEFAULT_DESIGN = DesignSpec()


def placeholder_errors(sentence):
    """The unknown placeholders and stray braces of ``sentence`` (empty when it is fine)."""
    errors = [f"{{{name}}}" for name in _TOKEN.findall(sentence) if name not in PLACEHOLDERS]
    if "{" in _TOKEN.sub("", sentence) or "}" in _TOKEN.sub("", sentence):
        errors.append("{ }")
    return errors


def sentence_parts(sentence, values):
    """``[(text, is_value)]`` of a sentence with its placeholders replaced by ``values``."""
    parts, last = [], 0
    for match in _TOKEN.finditer(sentence):
        if match.start() > last:
            parts.append((sentence[last : match.start()], False))
        parts.append((str(values.get(match.group(1), match.group(0))), True))
        last = match.end()
    if last < len(sentence):
        parts.append((sentence[last:], False))
    return parts
