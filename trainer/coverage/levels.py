"""Level distribution: per unit, how many hold no certificate, basic, advanced… (issue 19,
item 3), each person counted once at the highest level they hold on the date.

One SQL query: the staff of ``unit``'s subtree on D joined to each person's highest rank held
on D, grouped by unit and rank; Python adds the unit rows into the child of ``unit`` each
lies under (the breakdown's ``unit_attributes``).
"""

from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import and_, func, select

from ..certificates.held_levels import held_condition
from ..certificates.models import Certificate
from ..curriculum.eligibility import all_levels
from ..curriculum.models import CertificateLevel
from ..extensions import db
from ..org.models import subtree_range
from ..org.periods import OrgUnitPath, StaffPeriod
from ..timeutil import local_today
from .breakdown import unit_attributes
from .services import NotInForce, children_on, name_on, path_on, percent_of, staff_filter

NONE = "none"
COLOURS = ("#c9ced6", "#7fb3e6", "#0b5cab", "#1a7f37", "#7a4bb3", "#b35c00")


@dataclass
class LevelRow:
    """One unit's staff by highest level held: ``counts`` keyed by level code or ``none``."""

    code: str
    name: str
    counts: dict = field(default_factory=dict)

    @property
    def staff_total(self):
        return sum(self.counts.values())

    def percent(self, key):
        return percent_of(self.counts.get(key, 0), self.staff_total)


def column_keys(levels):
    """``none`` then each level's code, lowest rank first (one level per rank)."""
    seen, keys = set(), [NONE]
    for level in levels:
        if level.rank not in seen:
            seen.add(level.rank)
            keys.append(level.code)
    return keys


def level_distribution(unit, as_of=None, position=None):
    """(column keys, row for ``unit``, rows per child of ``unit`` on ``as_of`` by name, then
    ``unit``'s own staff when it has any); ``NotInForce`` when the unit did not exist then."""
    as_of = as_of or local_today()
    if not unit.in_force(as_of):
        raise NotInForce(unit)
    levels = all_levels()
    keys = column_keys(levels)
    code_of_rank = {}
    for level in levels:
        code_of_rank.setdefault(level.rank, level.code)
    top = (
        select(Certificate.staff_id, func.max(CertificateLevel.rank).label("rank"))
        .join(CertificateLevel, CertificateLevel.id == Certificate.level_id)
        .where(held_condition(0, as_of))
        .group_by(Certificate.staff_id)
        .subquery("top")
    )
    low, high = subtree_range(path_on(unit, as_of))
    counted = db.session.execute(
        select(StaffPeriod.org_unit_id, top.c.rank, func.count())
        .join(
            OrgUnitPath,
            and_(
                OrgUnitPath.org_unit_id == StaffPeriod.org_unit_id,
                OrgUnitPath.on(as_of),
                OrgUnitPath.path >= low,
                OrgUnitPath.path < high,
            ),
        )
        .outerjoin(top, top.c.staff_id == StaffPeriod.staff_id)
        .where(staff_filter(position, as_of))
        .group_by(StaffPeriod.org_unit_id, top.c.rank)
    ).all()
    child_of = {uid: attrs["child"] for uid, attrs in unit_attributes(unit, as_of).items()}
    rows = {c.code: LevelRow(c.code, name) for c, name in children_on(unit, as_of)}
    own = LevelRow(unit.code, name_on(unit, as_of))
    head = LevelRow(unit.code, own.name)
    for uid, rank, count in counted:
        key = NONE if rank is None else code_of_rank.get(rank, NONE)
        row = rows.get(child_of.get(uid), own)
        for target in (row, head):
            target.counts[key] = target.counts.get(key, 0) + count
    ordered = list(rows.values()) + ([own] if own.counts else [])
    for row in (*ordered, head):
        row.counts = {k: row.counts.get(k, 0) for k in keys}
    return keys, head, ordered


def stacked_bars(rows, keys, labels, *, width=760, bar_height=22, label_width=230):
    """Horizontal 100 % bars, one per row, split by ``keys`` (legend ``labels``)."""
    scale = (width - label_width - 20) / 100
    height = len(rows) * (bar_height + 8) + 18 * len(keys) + 16
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} '
        f'{height}" role="img" aria-labelledby="levels-title"><title id="levels-title">'
        "Staff by highest level held</title>"
    ]
    for i, row in enumerate(rows):
        y = 8 + i * (bar_height + 8)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7}" text-anchor="end" '
            f'font-size="12" fill="#1d2430">{escape(row.name[:32])}</text>'
        )
        x = float(label_width)
        for index, key in enumerate(keys):
            share = row.percent(key) or 0
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{share * scale:.1f}" height="{bar_height}" '
                f'fill="{COLOURS[index % len(COLOURS)]}" data-level="{escape(key)}">'
                f"<title>{escape(str(labels[key]))}: {row.counts.get(key, 0)}</title></rect>"
            )
            x += share * scale
    x = float(label_width)
    for index, key in enumerate(keys):  # the legend, one line per level (long names)
        y = len(rows) * (bar_height + 8) + 12 + 18 * index
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="12" height="12" '
            f'fill="{COLOURS[index % len(COLOURS)]}"/>'
            f'<text x="{x + 16:.1f}" y="{y + 10}" font-size="12" fill="#1d2430">'
            f"{escape(str(labels[key]))}</text>"
        )
    parts.append("</svg>")
    # every text that comes from data went through escape() above
    return Markup("".join(parts))  # nosec B704
