"""Every user-visible message has a Vietnamese and an English translation."""

import importlib.util
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "trainer" / "translations"
spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
i18n_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(i18n_tool)


def catalogue(lang):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def extracted_ids(tmp_path):
    """The messages of the code now, extracted the way ``make i18n`` does."""
    pot = tmp_path / "messages.pot"
    i18n_tool.extract(pot)
    with pot.open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def translated(lang):
    return {m.id for m in catalogue(lang) if m.id and m.string and not m.fuzzy}


def test_every_message_in_the_code_is_translated(tmp_path):
    ids = extracted_ids(tmp_path)
    assert len(ids) > 40
    for lang in ("vi", "en"):
        missing = sorted(ids - translated(lang))
        assert missing == [], f"untranslated in {lang}: {missing}"


def test_compiled_catalogues_match_the_sources():
    import gettext

    for lang in ("vi", "en"):
        mo = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo"
        with mo.open("rb") as fh:
            compiled = gettext.GNUTranslations(fh)
        for message in catalogue(lang):
            if message.id and message.string:
                assert compiled.gettext(message.id) == message.string, (lang, message.id)


def test_vietnamese_text_is_nfc():
    import unicodedata

    for message in catalogue("vi"):
        if message.string:
            assert unicodedata.is_normalized("NFC", message.string), message.id
