"""Admin pages for certificate designs, with a live preview on sample data."""

import shutil
import subprocess  # noqa: S404  (pdftoppm, fixed arguments)
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.decorators import capability_required
from ..accounts.scope import Capability
from ..curriculum.eligibility import all_levels
from ..errors import Common, InvalidInput
from ..extensions import db
from ..org.models import OrgUnit
from ..timeutil import local_today
from ..transaction import fail
from . import designs
from .blueprint import bp
from .design_models import CertificateDesign
from .design_spec import COLOURS, PLACEHOLDERS, DesignSpec
from .forms import DesignForm
from .pdf import CertificateJob, render_certificates


def _level_choices(form):
    form.level.choices = [("", _("Every level"))] + [
        (lv.code, lv.name(get_locale())) for lv in all_levels()
    ]


def _fill(form, design):
    """The form filled from the design's current version (on GET)."""
    spec = design.current.spec()
    form.name.data, form.org.data = design.name, getattr(design.org_unit, "code", "")
    form.level.data = getattr(design.level, "code", "")
    form.title.data, form.subtitle.data = spec.title, spec.subtitle
    form.body.data, form.orientation.data = "\n".join(spec.body), spec.orientation
    for key in COLOURS:
        getattr(form, f"colour_{key}").data = spec.colours[key]
    form.blocks.data = list(spec.blocks)


def _content(form):
    return dict(
        title=form.title.data or "",
        subtitle=form.subtitle.data or "",
        body=form.body.data or "",
        orientation=form.orientation.data,
        colours={k: getattr(form, f"colour_{k}").data for k in COLOURS},
        blocks=form.blocks.data or [],
    )


def _image(field, current, remove):
    upload = field.data
    if remove:
        return None
    if upload and getattr(upload, "filename", ""):
        try:
            return designs.store_image(upload.filename, upload.read())
        except InvalidInput as exc:  # shown at the emblem's or the signature's field
            raise InvalidInput(exc.code, field=field.name, **exc.details) from None
    return current


def _save(form, design):
    """Create the design if new, then add a version; raises ``InvalidInput``."""
    if design is None:
        unit = None
        if form.org.data and form.org.data.strip():
            unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == form.org.data.strip()))
            if unit is None:
                raise InvalidInput(Common.UNKNOWN_ORG, field="org")
        level = next((lv for lv in all_levels() if lv.code == form.level.data), None)
        design = designs.create_design(
            form.name.data, org_unit=unit, level=level, actor=current_user
        )
    current = design.current
    emblem = _image(form.emblem, getattr(current, "emblem_image", None), form.remove_emblem.data)
    signature = _image(
        form.signature, getattr(current, "signature_image", None), form.remove_signature.data
    )
    designs.save_version(
        design,
        content=_content(form),
        emblem_image=emblem,
        signature_image=signature,
        actor=current_user,
    )
    return design


@bp.route("/admin/designs", methods=["GET"])
@capability_required(Capability.MANAGE_CURRICULUM)
def designs_list():
    return render_template("certificates/designs.html", designs=designs.all_designs())


@bp.route("/admin/designs/new", methods=["GET", "POST"])
@bp.route("/admin/designs/<int:design_id>", methods=["GET", "POST"])
@capability_required(Capability.MANAGE_CURRICULUM)
def design_edit(design_id=None):
    design = db.session.get(CertificateDesign, design_id) if design_id else None
    if design_id and (design is None or design.current is None):
        abort(404)
    form = DesignForm()
    _level_choices(form)
    if request.method == "GET":
        _fill(form, design or designs.all_designs()[0])
        if design is None:
            form.name.data, form.org.data, form.level.data = "", "", ""
    elif form.validate_on_submit():
        try:
            design = _save(form, design)
        except InvalidInput as exc:
            fail()
            field = exc.details.get("field", "title")
            target = getattr(form, field if hasattr(form, field) else "title")
            target.errors = [*target.errors, exc.message]
        else:
            flash(
                _("Design saved as version %(version)s.", version=design.current.version), "success"
            )
            return redirect(url_for("certificates.design_edit", design_id=design.id))
    return render_template(
        "certificates/design_form.html", form=form, design=design, placeholders=PLACEHOLDERS
    )


@dataclass
class SampleLevel:
    name_vi: str

    def name(self, locale="vi"):
        return self.name_vi


@dataclass
class SampleModule:
    code: str
    name_vi: str

    def name(self, locale="vi"):
        return self.name_vi


SAMPLE_MODULES = [
    SampleModule(code, name)
    for code, name in (
        ("IU01", "Hiểu biết về CNTT cơ bản"),
        ("IU02", "Sử dụng máy tính cơ bản"),
        ("IU03", "Xử lý văn bản cơ bản"),
        ("IU04", "Sử dụng bảng tính cơ bản"),
        ("IU05", "Sử dụng trình chiếu cơ bản"),
        ("IU06", "Sử dụng Internet cơ bản"),
    )
]


@dataclass
class SampleCertificate:
    number: str = "DB-2026-000123"
    issuer: str = "Sở Giáo dục và Đào tạo tỉnh Điện Biên"
    printed_name: str = "Nguyễn Thị Ánh Tuyết"
    printed_unit: str = "Trường Tiểu học Sa Lông"
    level: SampleLevel = None
    issued_on: date = None
    signatory_title: str = "Giám đốc"
    signatory_name: str = "Lò Văn Mừng"


def preview_pdf(args):
    """The sample certificate in the design described by ``args`` (400 when invalid)."""
    form = DesignForm(formdata=args, meta={"csrf": False})
    _level_choices(form)
    try:
        values = designs.validate_content(**_content(form))
    except InvalidInput:
        abort(400)
    design = db.session.get(CertificateDesign, args.get("design", type=int) or 0)
    current = design.current if design else None
    spec = DesignSpec(
        title=values["title"],
        subtitle=values["subtitle"],
        body=tuple(values["body"].splitlines()),
        orientation=values["orientation"],
        colours=values["colours"],
        blocks=tuple(values["blocks"]),
        emblem_image=getattr(current, "emblem_image", None),
        signature_image=getattr(current, "signature_image", None),
    )
    level = next((lv for lv in all_levels() if lv.code == form.level.data), None)
    sample = SampleCertificate(
        level=SampleLevel(level.name_vi if level else "Chuẩn kỹ năng sử dụng CNTT cơ bản"),
        issued_on=local_today(),
    )
    job = CertificateJob(
        sample,
        SAMPLE_MODULES,
        "https://example.vn/verify/SAMPLE",
        "female",
        "Điện Biên",
        spec,
        "preview",
    )
    return render_certificates([job], images=designs.images_of([current]))[0]


@bp.route("/admin/designs/preview.pdf")
@capability_required(Capability.MANAGE_CURRICULUM)
def design_preview_pdf():
    return Response(preview_pdf(request.args), mimetype="application/pdf")


@bp.route("/admin/designs/preview.png")
@capability_required(Capability.MANAGE_CURRICULUM)
def design_preview_png():
    """The preview as a PNG (pdftoppm from poppler-utils), shown in the page as an image."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        abort(503)
    pdf = preview_pdf(request.args)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "preview.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "60",
                "-singlefile",
                str(source),  # noqa: S603
                str(Path(folder) / "preview"),
            ],
            check=True,
            timeout=30,
        )
        png = (Path(folder) / "preview.png").read_bytes()
    return Response(png, mimetype="image/png")
