"""Saved column mappings: find, check and save them."""

from sqlalchemy import select

from .. import audit
from ..errors import Common, InvalidInput
from ..extensions import db
from ..org.attributes import fold_label
from ..org.text import HiddenCharacters, clean_text
from .models import ImportMapping


def mapping_named(name):
    """The saved mapping called ``name``, or None."""
    return db.session.scalar(select(ImportMapping).where(ImportMapping.name == name.strip()))


def mappings_for(kind=None):
    """Saved mappings (of ``kind`` when given), by name."""
    stmt = select(ImportMapping).order_by(ImportMapping.name)
    if kind:
        stmt = stmt.where(ImportMapping.kind == kind)
    return db.session.scalars(stmt).all()


def checked_columns(importer, columns):
    """``columns`` (header label → field or "" to ignore) limited to this importer's fields;
    InvalidInput when one field is given to two labels."""
    clean, used = {}, {}
    for label, name in columns.items():
        label, name = str(label).strip()[:200], str(name or "")
        if not label or (name and name not in importer.fields):
            raise InvalidInput("unknown_field", field=name)
        if name and name in used and fold_label(used[name]) != fold_label(label):
            raise InvalidInput("field_twice", field=name)
        if name:
            used[name] = label
        clean[label] = name
    return clean


def save_mapping(name, importer, columns, *, actor=None):
    """Create or replace the mapping ``name`` for the importer's kind; flush only."""
    try:
        name = clean_text(name)[:100]
    except HiddenCharacters as exc:
        raise InvalidInput(Common.HIDDEN_CHARACTERS, field="name", characters=exc.codes) from None
    mapping = mapping_named(name)
    if mapping is None:
        mapping = ImportMapping(name=name, kind=importer.kind, columns={})
        db.session.add(mapping)
    mapping.kind = importer.kind
    mapping.columns = {**(mapping.columns or {}), **checked_columns(importer, columns)}
    db.session.flush()
    audit.record(
        "import.mapping",
        user=actor,
        object_type="import_mapping",
        object_id=mapping.name,
        kind=importer.kind,
        columns=len(mapping.columns),
    )
    return mapping
