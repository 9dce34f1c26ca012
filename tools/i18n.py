"""Keep the translation catalogues in step with the code: extract, update, compile, check.

    python tools/i18n.py          # extract messages, update vi/en catalogues, compile
    python tools/i18n.py --check  # exit 1 when a message lacks its Vietnamese translation

Source strings are written in English; the English catalogue is filled with the source text
so that both languages are explicit and complete.
"""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "trainer" / "translations"
POT = TRANSLATIONS / "messages.pot"


def run(*args):
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def extract(output=POT):
    """Extract every message of the code and templates into ``output`` (the catalogue's
    template by default)."""
    # --ignore-dirs: the default also skips "_*" folders, and templates/_macros holds strings
    run(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "-k",
        "lazy_ngettext:1,2",
        "--no-location",
        "--ignore-dirs",
        ".* __pycache__",
        "--omit-header",
        "--sort-output",
        "-o",
        str(output),
        ".",
    )


def catalogue_path(lang):
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def update(lang):
    path = catalogue_path(lang)
    if not path.exists():
        run("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", lang)
    run(
        "update",
        "-i",
        str(POT),
        "-d",
        str(TRANSLATIONS),
        "-l",
        lang,
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )


def normalise(lang):
    """Clear the catalogue's header fuzzy flag; fill English entries with their source text."""
    path = catalogue_path(lang)
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    catalog.fuzzy = False
    catalog.project, catalog.version = "trainer", "0.1"
    catalog.msgid_bugs_address = ""
    for message in catalog:
        if lang == "en" and message.id and not translated(message):
            message.string = message.id  # a plural's (singular, plural) pair too
    with path.open("wb") as fh:
        write_po(fh, catalog, no_location=True, sort_output=True)


def translated(message):
    """Whether every form of ``message`` (one, or each of a plural's) has its text."""
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def missing(lang):
    with catalogue_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    result = []
    for message in catalog:
        if not message.id:
            continue
        if not translated(message) or message.fuzzy:
            result.append(message.id)
    return result


def compile_all():
    run("compile", "-d", str(TRANSLATIONS), "--statistics")


def main(argv):
    extract()
    for lang in ("vi", "en"):
        update(lang)
        normalise(lang)
    compile_all()
    gaps = missing("vi")
    for msg in gaps:
        print("missing Vietnamese translation:", msg, file=sys.stderr)
    if "--check" in argv and gaps:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
