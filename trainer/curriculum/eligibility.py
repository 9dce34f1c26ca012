"""Module completion and eligibility for levels, computed in bulk (one query per kind); the
levels a person already holds come in as a rank (``certificates.held_levels.held_ranks``)."""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..extensions import db
from .models import CertificateLevel, Module, Result


def all_levels():
    """Every level with its modules, lowest rank first."""
    return db.session.scalars(
        select(CertificateLevel).order_by(CertificateLevel.rank, CertificateLevel.code)
    ).all()


def completed_modules(staff_ids):
    """{staff_id: {module_id}} of modules passed (a result at or above the pass score)."""
    rows = db.session.execute(
        select(Result.staff_id, Result.module_id)
        .join(Module, Module.id == Result.module_id)
        .where(Result.staff_id.in_(list(staff_ids)), Result.score >= Module.pass_score)
        .group_by(Result.staff_id, Result.module_id)
    )
    done = {}
    for staff_id, module_id in rows:
        done.setdefault(staff_id, set()).add(module_id)
    return done


@dataclass
class LevelProgress:
    """Where one person stands on one level."""

    level: CertificateLevel
    required_done: list = field(default_factory=list)
    required_missing: list = field(default_factory=list)
    electives_done: list = field(default_factory=list)
    electives_open: list = field(default_factory=list)
    electives_needed: int = 0
    prerequisite_missing: CertificateLevel | None = None
    held: bool = False

    @property
    def eligible(self):
        return (
            not self.required_missing
            and self.electives_needed == 0
            and self.prerequisite_missing is None
        )

    @property
    def steps_total(self):
        return len(self.required_done) + len(self.required_missing) + self.level.min_electives

    @property
    def steps_done(self):
        return len(self.required_done) + min(len(self.electives_done), self.level.min_electives)

    @property
    def percent(self):
        if self.held:
            return 100
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0

    def missing_codes(self):
        """Module codes still to pass: required ones, then electives while some are needed."""
        codes = [m.code for m in self.required_missing]
        if self.electives_needed:
            codes += [m.code for m in self.electives_open]
        return codes


def level_progress(level, done, rank):
    """Progress on ``level`` of someone who passed ``done`` module ids and holds ``rank``."""
    result = LevelProgress(level=level, held=rank >= level.rank)
    for module in level.required_modules:
        (result.required_done if module.id in done else result.required_missing).append(module)
    for module in level.elective_modules:
        (result.electives_done if module.id in done else result.electives_open).append(module)
    result.electives_needed = max(0, level.min_electives - len(result.electives_done))
    if level.prerequisite is not None and rank < level.prerequisite.rank:
        result.prerequisite_missing = level.prerequisite
    return result


def missing_for(progress, by_level):
    """All module codes missing for a level, including its unmet prerequisite's."""
    codes = progress.missing_codes()
    prerequisite = progress.prerequisite_missing
    while prerequisite is not None:
        before = by_level[prerequisite.id]
        codes = before.missing_codes() + [c for c in codes if c not in before.missing_codes()]
        prerequisite = before.prerequisite_missing
    return codes


def first_passed(staff_ids):
    """{staff_id: {module_id: the first date it was passed}}, in one query."""
    rows = db.session.execute(
        select(Result.staff_id, Result.module_id, func.min(Result.assessed_on))
        .join(Module, Module.id == Result.module_id)
        .where(Result.staff_id.in_(list(staff_ids)), Result.score >= Module.pass_score)
        .group_by(Result.staff_id, Result.module_id)
    )
    passed = {}
    for staff_id, module_id, day in rows:
        passed.setdefault(staff_id, {})[module_id] = day
    return passed


def modules_passed_by(level, passed, on=None):
    """The modules of ``level`` in ``passed`` ({module_id: date}) by ``on``: the required
    ones, then the electives, in curriculum order."""

    def done(module):
        return module.id in passed and (on is None or passed[module.id] <= on)

    return [m for m in level.required_modules if done(m)] + [
        m for m in level.elective_modules if done(m)
    ]


def eligible_modules(staff, level, on=None):
    """The modules that made ``staff`` eligible for ``level`` (passed by ``on``), not every
    module of the level: what their certificate prints."""
    return modules_passed_by(level, first_passed([staff.id]).get(staff.id, {}), on)
