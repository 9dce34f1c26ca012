"""Certificate designs: validate and save a new version, sanitise images, find the design
that applies to a certificate (the nearest unit, a level-specific one before a general one)."""

import hashlib
import re

# Serialising only: every SVG is parsed by defusedxml, which refuses DTDs and entities.
import xml.etree.ElementTree as ET  # nosec B405

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from .. import audit
from ..errors import Common, InvalidInput
from ..extensions import db
from ..org.text import HiddenCharacters, clean_text
from .design_models import CertificateDesign, CertificateDesignVersion, DesignImage
from .design_spec import (
    BLOCKS,
    COLOURS,
    HEX_COLOUR,
    MAX_SENTENCE,
    MAX_SENTENCES,
    MAX_TITLE,
    ORIENTATIONS,
    PLACEHOLDERS,
    placeholder_errors,
)
from .errors import DesignError

MAX_IMAGE_BYTES = 256 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK = "{http://www.w3.org/1999/xlink}href"
#: SVG elements kept; anything else (script, foreignObject, image, style, animate…) is dropped.
SVG_ELEMENTS = {
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "defs",
    "linearGradient",
    "radialGradient",
    "stop",
    "title",
    "desc",
    "clipPath",
    "mask",
    "use",
    "symbol",
}
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


def sanitise_svg(data):
    """``data`` as a harmless SVG: known drawing elements only, no scripts, no event handlers,
    no reference to anything outside the file. Raises ``InvalidInput`` if it is not an SVG."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise InvalidInput(DesignError.SVG_DOCTYPE, field="image")
    try:
        root = parse_xml(data, forbid_dtd=True)
    except DefusedXmlException:
        raise InvalidInput(DesignError.SVG_DOCTYPE, field="image") from None
    except ET.ParseError:
        raise InvalidInput(DesignError.SVG_INVALID, field="image") from None
    if _local(root.tag) != "svg":
        raise InvalidInput(DesignError.SVG_INVALID, field="image")
    _clean(root)
    ET.register_namespace("", SVG_NS)
    return ET.tostring(root, encoding="utf-8")


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _clean(element):
    for child in list(element):
        if _local(child.tag) not in SVG_ELEMENTS:
            element.remove(child)
        else:
            _clean(child)
    for name, value in list(element.attrib.items()):
        local = _local(name).lower()
        outside_ref = local == "href" and not value.strip().startswith("#")
        if (
            local.startswith("on")
            or outside_ref
            or _OUTSIDE_URL.search(value)
            or (local == "style" and ("@import" in value or "url(" in value.lower()))
        ):
            del element.attrib[name]


def store_image(filename, data):
    """Keep an uploaded PNG or SVG (size-limited, SVG sanitised); returns its sha256 name."""
    if not data:
        raise InvalidInput(DesignError.IMAGE_EMPTY, field="image")
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput(DesignError.IMAGE_TOO_LARGE, field="image")
    if data.startswith(PNG_MAGIC):
        media_type = "image/png"
    elif (filename or "").lower().endswith(".svg") or data.lstrip()[:5] in (b"<?xml", b"<svg "):
        data, media_type = sanitise_svg(data), "image/svg+xml"
    else:
        raise InvalidInput(DesignError.IMAGE_TYPE, field="image")
    sha = hashlib.sha256(data).hexdigest()
    if db.session.get(DesignImage, sha) is None:
        db.session.add(DesignImage(sha256=sha, media_type=media_type, data=data))
        db.session.flush()
    return sha


def plain(value, field):
    """``value`` cleaned as every name and title is (``clean_text``); ``InvalidInput`` with
    the code ``hidden_characters`` if it holds control, zero-width or bidirectional
    characters (printed on certificates, they would disguise the text: issue 14.2)."""
    try:
        return clean_text(value or "")
    except HiddenCharacters as exc:
        raise InvalidInput(Common.HIDDEN_CHARACTERS, field=field, characters=exc.codes) from None


def validate_content(*, title, subtitle, body, orientation, colours, blocks):
    """Raise ``InvalidInput(field=…)`` for the first bad value; returns the cleaned values."""
    title, subtitle = plain(title, "title"), plain(subtitle, "subtitle")
    if not title or len(title) > MAX_TITLE:
        raise InvalidInput(DesignError.TITLE, field="title")
    if len(subtitle) > MAX_TITLE:
        raise InvalidInput(DesignError.SUBTITLE, field="subtitle")
    sentences = [plain(line, "body") for line in body.splitlines() if line.strip()]
    if len(sentences) > MAX_SENTENCES or any(len(s) > MAX_SENTENCE for s in sentences):
        raise InvalidInput(DesignError.BODY_LENGTH, field="body")
    bad = [error for s in sentences for error in placeholder_errors(s)]
    if bad:
        raise InvalidInput(
            DesignError.PLACEHOLDERS,
            field="body",
            placeholders=bad,
            items=", ".join(bad),
            known=", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
        )
    if orientation not in ORIENTATIONS:
        raise InvalidInput(DesignError.ORIENTATION, field="orientation")
    for key in COLOURS:
        if not HEX_COLOUR.fullmatch(colours.get(key) or ""):
            raise InvalidInput(DesignError.COLOUR, field=f"colour_{key}")
    if set(blocks) - set(BLOCKS):
        raise InvalidInput(DesignError.BLOCKS, field="blocks")
    return dict(
        title=title,
        subtitle=subtitle,
        body="\n".join(sentences),
        orientation=orientation,
        colours={k: colours[k].lower() for k in COLOURS},
        blocks=[b for b in BLOCKS if b in blocks],
    )


def create_design(name, *, org_unit=None, level=None, actor=None):
    """A new design for ``org_unit``'s subtree and ``level`` (None: everywhere, every level)."""
    name = plain(name, "name")
    if not name or len(name) > 120:
        raise InvalidInput(DesignError.NAME, field="name")
    taken = db.session.scalar(
        select(CertificateDesign.id).where(
            CertificateDesign.org_unit_id.is_(None)
            if org_unit is None
            else CertificateDesign.org_unit_id == org_unit.id,
            CertificateDesign.level_id.is_(None)
            if level is None
            else CertificateDesign.level_id == level.id,
        )
    )
    if taken:
        raise InvalidInput(DesignError.SCOPE_TAKEN, field="org")
    design = CertificateDesign(
        name=name, org_unit_id=getattr(org_unit, "id", None), level_id=getattr(level, "id", None)
    )
    db.session.add(design)
    db.session.flush()
    audit.record("design.create", design, user=actor, name=name)
    return design


def save_version(design, *, content, emblem_image=None, signature_image=None, actor=None):
    """Add a version to ``design`` (versions are never changed: certificates point at them)."""
    values = validate_content(**content)
    last = (
        db.session.scalar(
            select(func.max(CertificateDesignVersion.version)).where(
                CertificateDesignVersion.design_id == design.id
            )
        )
        or 0
    )
    colours = values.pop("colours")
    version = CertificateDesignVersion(
        design=design,
        version=last + 1,
        title=values["title"],
        subtitle=values["subtitle"],
        body=values["body"],
        orientation=values["orientation"],
        colour_primary=colours["primary"],
        colour_accent=colours["accent"],
        colour_title=colours["title"],
        colour_text=colours["text"],
        blocks=",".join(values["blocks"]),
        emblem_image=emblem_image,
        signature_image=signature_image,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(version)
    db.session.flush()
    audit.record("design.version", design, user=actor, version=version.version)
    return version


def design_version_for(unit, level):
    """The current version of the design that applies to ``level`` in ``unit``: the nearest
    unit up the tree wins, a design for the level before one for every level."""
    ids = unit.ancestor_ids() if unit is not None else []
    designs = db.session.scalars(
        select(CertificateDesign).where(
            or_(CertificateDesign.org_unit_id.is_(None), CertificateDesign.org_unit_id.in_(ids)),
            or_(CertificateDesign.level_id.is_(None), CertificateDesign.level_id == level.id),
        )
    ).all()
    return _nearest(designs, ids)


def design_chooser(level):
    """A function of a unit's ancestor ids (``OrgUnit.ancestor_ids``) giving what
    ``design_version_for`` gives for that unit, every design of ``level`` read once (bulk
    issues: one lookup per school would be hundreds of queries)."""
    designs = (
        db.session.scalars(
            select(CertificateDesign)
            .where(
                or_(CertificateDesign.level_id.is_(None), CertificateDesign.level_id == level.id)
            )
            .options(selectinload(CertificateDesign.versions))
            .order_by(CertificateDesign.id)
        )
        .unique()
        .all()
    )
    province = [d for d in designs if d.org_unit_id is None]
    by_unit = {}
    for design in designs:
        if design.org_unit_id is not None:
            by_unit.setdefault(design.org_unit_id, []).append(design)

    def choose(ancestor_ids):
        near = [d for unit_id in ancestor_ids for d in by_unit.get(unit_id, ())]
        return _nearest(province + near, ancestor_ids)

    return choose


def _nearest(designs, ids):
    """The current version of the nearest of ``designs`` to the unit whose ancestors are ``ids``."""
    depth = {unit_id: index for index, unit_id in enumerate(ids)}

    def nearness(design):
        return (depth.get(design.org_unit_id, -1), design.level_id is not None)

    for design in sorted(designs, key=nearness, reverse=True):
        if design.current is not None:
            return design.current
    return None


def images_of(versions):
    """``{sha256: (bytes, media type)}`` of the images the design versions use."""
    names = {n for v in versions if v is not None for n in (v.emblem_image, v.signature_image) if n}
    if not names:
        return {}
    rows = db.session.scalars(select(DesignImage).where(DesignImage.sha256.in_(names)))
    return {row.sha256: (bytes(row.data), row.media_type) for row in rows}


def all_designs():
    return db.session.scalars(select(CertificateDesign).order_by(CertificateDesign.id)).all()
