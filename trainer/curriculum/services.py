"""Recording results, and the curriculum itself: modules' pass scores, new levels."""

from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from .. import audit
from ..errors import InvalidInput, check_range
from ..extensions import db
from ..timeutil import local_today
from .errors import CurriculumError, SelfDealing
from .models import CertificateLevel, LevelModule, Module, Result
from .values import PASS_SCORE, SCORE


def is_self(user, staff):
    """True when ``user`` is the staff member ``staff`` (separation of duties)."""
    return user is not None and getattr(user, "staff_id", None) == staff.id


def allows_own_results(config):
    """Whether an administrator's setting (``ALLOW_SELF_CERTIFICATION``) lets people record
    their own results; read from the configuration at the edge, passed in."""
    return bool(config.get("ALLOW_SELF_CERTIFICATION", False))


def checked_score(staff, score, assessed_on, recorded_by, allow_self):
    """``score`` as a Decimal of 0–100 for a day not in the future, recorded by someone
    other than the person (unless allowed); else the error."""
    if is_self(recorded_by, staff) and not allow_self:
        raise SelfDealing(CurriculumError.OWN_RESULT)
    try:
        score = Decimal(str(score))
    except InvalidOperation:
        raise InvalidInput(CurriculumError.SCORE_NOT_A_NUMBER, field="score") from None
    if not score.is_finite():
        raise InvalidInput(CurriculumError.SCORE_NOT_A_NUMBER, field="score")
    check_range(score, SCORE, "score", code=CurriculumError.SCORE_OUT_OF_RANGE)
    if assessed_on > local_today():
        raise InvalidInput(CurriculumError.DATE_IN_FUTURE, field="assessed_on")
    return score


def record_result(staff, module, score, assessed_on, *, recorded_by=None, allow_self=False):
    """Store a score of 0–100 for a module; nobody records their own (unless allowed)."""
    score = checked_score(staff, score, assessed_on, recorded_by, allow_self)
    result = Result(
        staff_id=staff.id,
        module_id=module.id,
        score=score,
        assessed_on=assessed_on,
        recorded_by_id=getattr(recorded_by, "id", None),
    )
    db.session.add(result)
    db.session.flush()
    audit.record(
        "result.record",
        result,
        user=recorded_by,
        staff=staff.staff_code,
        module=module.code,
        score=str(score),
    )
    return result


def results_of_day(module, assessed_on, staff_ids):
    """The latest result of each of ``staff_ids`` in ``module`` assessed on that day, by
    staff id: what a session's results form shows again when it is reopened."""
    rows = db.session.scalars(
        select(Result)
        .where(
            Result.module_id == module.id,
            Result.assessed_on == assessed_on,
            Result.staff_id.in_(staff_ids),
        )
        .order_by(Result.id)
    )
    return {result.staff_id: result for result in rows}


def record_or_correct(staff, module, score, assessed_on, *, recorded_by=None, allow_self=False):
    """Record a score for that day, or correct the one already recorded for it: the same
    score changes nothing, another one replaces it (audited with the old and the new), so
    that a reopened results form never duplicates nor keeps a mistyped score."""
    existing = results_of_day(module, assessed_on, [staff.id]).get(staff.id)
    if existing is None:
        return record_result(
            staff, module, score, assessed_on, recorded_by=recorded_by, allow_self=allow_self
        )
    checked = checked_score(staff, score, assessed_on, recorded_by, allow_self)
    if checked == existing.score:
        return existing
    old = existing.score
    existing.score, existing.recorded_by_id = checked, getattr(recorded_by, "id", None)
    db.session.flush()
    audit.record(
        "result.correct",
        existing,
        user=recorded_by,
        staff=staff.staff_code,
        module=module.code,
        old=str(old),
        new=str(checked),
    )
    return existing


def all_modules():
    return db.session.scalars(select(Module).order_by(Module.sort_order)).all()


def module_by_code(code):
    module = db.session.scalar(select(Module).where(Module.code == code))
    if module is None:
        raise InvalidInput(CurriculumError.UNKNOWN_MODULE, field="module")
    return module


def set_pass_score(module, score, *, actor=None):
    """Change the pass mark of a module (0–100)."""
    check_range(score, PASS_SCORE, "pass_score", code=CurriculumError.PASS_SCORE_OUT_OF_RANGE)
    if module.pass_score != score:
        audit.record("module.pass_score", module, user=actor, old=module.pass_score, new=score)
        module.pass_score = score


def create_level(
    *,
    code,
    name_vi,
    name_en,
    rank,
    required,
    electives,
    min_electives=0,
    prerequisite=None,
    actor=None,
):
    """Add a certificate level: all ``required`` modules, ``min_electives`` of ``electives``."""
    if db.session.scalar(select(CertificateLevel.id).where(CertificateLevel.code == code)):
        raise InvalidInput(CurriculumError.LEVEL_EXISTS, field="code")
    if set(m.id for m in required) & set(m.id for m in electives):
        raise InvalidInput(CurriculumError.REQUIRED_AND_ELECTIVE, field="electives")
    if not required and not electives:
        raise InvalidInput(CurriculumError.NO_MODULE, field="required")
    if min_electives > len(electives):
        raise InvalidInput(CurriculumError.TOO_FEW_ELECTIVES, field="min_electives")
    if prerequisite is not None and prerequisite.rank >= rank:
        raise InvalidInput(CurriculumError.PREREQUISITE_RANK, field="prerequisite")
    level = CertificateLevel(
        code=code,
        name_vi=name_vi,
        name_en=name_en,
        rank=rank,
        min_electives=min_electives,
        prerequisite=prerequisite,
    )
    level.level_modules = [LevelModule(module_id=m.id, required=True) for m in required] + [
        LevelModule(module_id=m.id, required=False) for m in electives
    ]
    db.session.add(level)
    db.session.flush()
    audit.record("level.create", level, user=actor, code=code)
    return level
