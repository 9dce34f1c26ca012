"""Reading JSON request bodies: malformed JSON and wrong types answer 400, never 500."""

from ..bounds import json_request
from ..errors import Common, InvalidInput
from ..org.text import HiddenCharacters, clean_text

TYPE_NAMES = {str: "string", int: "integer", list: "array", dict: "object"}


def json_body():
    """The request's JSON object, or ``InvalidInput``."""
    body = json_request()
    if not isinstance(body, dict):
        raise InvalidInput(Common.BODY_NOT_OBJECT)
    return body


def need(body, name, kind):
    """``body[name]`` when present and of ``kind``, else ``InvalidInput`` naming the field."""
    value = body.get(name)
    if value is None:
        raise InvalidInput(Common.FIELD_REQUIRED, field=name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InvalidInput(Common.WRONG_TYPE, field=name, expected=TYPE_NAMES[kind])
    return value


def plain_text(value, name, limit=None):
    """``value`` cleaned as every name, title and reason is (``clean_text``), at most ``limit``
    characters if given; ``InvalidInput`` naming the field and any hidden characters otherwise."""
    try:
        text = clean_text(value)
    except HiddenCharacters as exc:
        raise InvalidInput(Common.HIDDEN_CHARACTERS, field=name, characters=exc.codes) from None
    if limit is not None and len(text) > limit:
        raise InvalidInput(Common.TOO_LONG, field=name, maximum=limit)
    return text
