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
    """The ids translated in ``lang``: every form of a plural entry filled."""
    return {
        m.id
        for m in catalogue(lang)
        if m.id and all(m.string if isinstance(m.string, tuple) else (m.string,)) and not m.fuzzy
    }


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
            if isinstance(message.id, tuple):  # a plural: its first form (Vietnamese has one)
                singular, plural = message.id
                assert compiled.ngettext(singular, plural, 1) == message.string[0], lang
            elif message.id and message.string:
                assert compiled.gettext(message.id) == message.string, (lang, message.id)


def test_vietnamese_text_is_nfc():
    import unicodedata

    for message in catalogue("vi"):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert unicodedata.is_normalized("NFC", string), message.id


def library_messages():
    """Every message WTForms and Flask-WTF may show, read from the installed libraries'
    sources: ``{singular: plural or None}``."""
    import flask_wtf
    import wtforms
    from babel.messages.extract import extract_from_file

    found = {}
    for package in (wtforms, flask_wtf):
        for path in sorted(Path(package.__file__).parent.rglob("*.py")):
            keywords = {"gettext": None, "ngettext": (1, 2)}
            for _line, message, _comments, _context in extract_from_file(
                "python", str(path), keywords=keywords
            ):
                singular, plural = message if isinstance(message, tuple) else (message, None)
                found[singular] = plural
    return found


def test_the_library_reader_finds_the_built_in_messages():
    found = library_messages()
    assert found["This field is required."] is None
    assert found["Field must be exactly %(max)d character long."] == (
        "Field must be exactly %(max)d characters long."
    )
    assert len(found) > 35


def test_every_built_in_form_message_is_translated():
    """WTForms ships no Vietnamese: the app's catalogue holds every message of the installed
    WTForms and Flask-WTF (a new version's new message fails here until translated)."""
    for lang in ("vi", "en"):
        entries = {
            (m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalogue(lang) if m.id
        }
        for singular, plural in library_messages().items():
            entry = entries.get(singular)
            assert entry is not None, f"{lang}: no entry for {singular!r}"
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            assert all(strings) and not entry.fuzzy, f"{lang}: {singular!r} untranslated"
            if plural:  # looked up by ngettext: only a plural entry answers it
                assert isinstance(entry.id, tuple) and entry.id[1] == plural, (lang, singular)


def test_every_form_of_the_app_takes_its_messages_from_the_catalogue(app):
    """A form deriving straight from FlaskForm would show WTForms' English on Vietnamese pages."""
    from flask_wtf import FlaskForm

    from trainer.forms import TranslatedForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forms = {cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("trainer.")}
    assert len(forms) > 10
    assert sorted(cls.__qualname__ for cls in forms if not issubclass(cls, TranslatedForm)) == []
