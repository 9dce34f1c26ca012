"""Form validation shared by every form that takes a name, title or reason."""

from flask_babel import gettext as _
from wtforms.validators import ValidationError

from .text import HiddenCharacters, clean_text


def hidden_characters_message(codes):
    """The user's message for text refused because of invisible characters."""
    return _(
        "This text contains invisible or control characters (%(chars)s). Type it again "
        "without them.",
        chars=", ".join(codes),
    )


class PlainText:
    """Refuse control, zero-width and bidirectional characters; store the text cleaned
    (NFC, white space collapsed), as the imports and the API do (``clean_text``)."""

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            field.data = clean_text(field.data)
        except HiddenCharacters as exc:
            raise ValidationError(hidden_characters_message(exc.codes)) from None


class PlainLines:
    """``PlainText`` for each line of a text kept line by line (a design's sentences)."""

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            lines = [clean_text(line) for line in field.data.splitlines()]
        except HiddenCharacters as exc:
            raise ValidationError(hidden_characters_message(exc.codes)) from None
        field.data = "\n".join(line for line in lines if line)
