"""Admin pages: pass scores of modules, and new certificate levels."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.decorators import capability_required
from ..accounts.scope import Capability
from ..curriculum import services as curriculum
from ..curriculum.eligibility import all_levels
from ..errors import InvalidInput
from ..extensions import db
from ..org.models import OrgUnit
from . import services
from .blueprint import bp
from .forms import IssuingProfileForm, LevelForm
from .models import IssuingProfile

LEVEL_ERRORS = {
    "code": lambda: _("A level with this code already exists."),
    "electives": lambda: _("A module cannot be both required and elective."),
    "required": lambda: _("Choose at least one module."),
    "min_electives": lambda: _("More electives needed than offered."),
    "prerequisite": lambda: _("The prerequisite must have a lower rank."),
}


@bp.route("/admin/modules", methods=["GET", "POST"])
@capability_required(Capability.MANAGE_CURRICULUM)
def modules():
    modules = curriculum.all_modules()
    errors = {}
    if request.method == "POST":
        for module in modules:
            raw = request.form.get(f"pass-{module.code}", "").strip()
            try:
                curriculum.set_pass_score(module, int(raw), actor=current_user)
            except (ValueError, InvalidInput):
                errors[module.code] = _("A whole number from 0 to 100.")
        if not errors:
            flash(_("Pass scores saved."), "success")
            return redirect(url_for("certificates.modules"))
    return render_template(
        "certificates/modules.html", modules=modules, errors=errors, levels=all_levels()
    ), 422 if errors else 200


@bp.route("/admin/levels", methods=["GET", "POST"])
@capability_required(Capability.MANAGE_CURRICULUM)
def levels():
    modules = {m.code: m for m in curriculum.all_modules()}
    existing = all_levels()
    form = LevelForm()
    choices = [(code, f"{code} · {m.name(get_locale())}") for code, m in modules.items()]
    form.required.choices, form.electives.choices = choices, choices
    form.prerequisite.choices = [("", "—")] + [(lv.code, lv.name(get_locale())) for lv in existing]
    if form.validate_on_submit():
        by_code = {lv.code: lv for lv in existing}
        try:
            curriculum.create_level(
                code=form.code.data,
                name_vi=form.name_vi.data.strip(),
                name_en=form.name_en.data.strip(),
                rank=form.rank.data,
                required=[modules[c] for c in form.required.data],
                electives=[modules[c] for c in form.electives.data],
                min_electives=form.min_electives.data or 0,
                prerequisite=by_code.get(form.prerequisite.data),
                actor=current_user,
            )
        except InvalidInput as exc:
            field = exc.details.get("field", "code")
            getattr(form, field).errors.append(LEVEL_ERRORS.get(field, LEVEL_ERRORS["code"])())
            return render_template("certificates/levels.html", form=form, levels=existing), 422
        flash(_("Level %(code)s added.", code=form.code.data), "success")
        return redirect(url_for("certificates.levels"))
    return render_template("certificates/levels.html", form=form, levels=existing)


@bp.route("/admin/issuing", methods=["GET", "POST"])
@capability_required(Capability.MANAGE_CURRICULUM)
def issuing():
    """Who issues and signs the certificates of a unit's subtree (the nearest profile wins)."""
    form = IssuingProfileForm()
    if form.validate_on_submit():
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == form.org.data.strip()))
        if unit is None:
            form.org.errors.append(_("Unknown unit code."))
        else:
            services.set_issuing_profile(
                unit,
                issuer_name=form.issuer_name.data.strip(),
                signatory_name=form.signatory_name.data.strip(),
                signatory_title=form.signatory_title.data.strip(),
                place_name=form.place_name.data.strip(),
                actor=current_user,
            )
            flash(_("Issuing profile of %(unit)s saved.", unit=unit.name), "success")
            return redirect(url_for("certificates.issuing"))
    profiles = db.session.scalars(select(IssuingProfile).join(OrgUnit).order_by(OrgUnit.path)).all()
    return render_template("certificates/issuing.html", form=form, profiles=profiles)
