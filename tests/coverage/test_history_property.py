"""Coverage as of random dates over random histories against a plain Python reference."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from trainer.certificates.models import Certificate
from trainer.coverage.services import (
    NotInForce,
    coverage,
    coverage_by_join,
    month_ends,
    percent_of,
    trend_by_join,
)
from trainer.coverage.trend import trend
from trainer.curriculum.models import CertificateLevel
from trainer.imports import importer_for
from trainer.imports.base import run_import
from trainer.org.history import managed_history, write_staff_history
from trainer.org.models import OrgUnit, Staff

from .. import factories

SWITCH = date(2025, 7, 1)
LAST = SWITCH - timedelta(days=1)
DAYS = st.integers(min_value=-60, max_value=60).map(lambda d: SWITCH + timedelta(days=d))

history = st.fixed_dictionaries(
    {
        # per unit: its life (old: closes on LAST, new: from SWITCH, both), parent picks
        "units": st.lists(
            st.tuples(
                st.sampled_from(["old", "new", "both"]),
                st.integers(0, 50),
                st.integers(0, 50),
                st.integers(0, 50),
            ),
            min_size=1,
            max_size=7,
        ),
        # per person: unit picks before and from SWITCH, active before/after, transfer day shift
        "staff": st.lists(
            st.tuples(
                st.integers(0, 50),
                st.integers(0, 50),
                st.booleans(),
                st.booleans(),
                st.integers(-20, 20),
            ),
            max_size=15,
        ),
        "certs": st.lists(st.tuples(st.integers(0, 50), DAYS), max_size=12),
        "asks": st.lists(st.tuples(DAYS, st.integers(0, 50)), min_size=1, max_size=4),
    }
)


def in_force(life, day):
    return {"old": day <= LAST, "new": day >= SWITCH, "both": True}[life]


def build(data):
    """The history as plain Python: lives, parents before/after, staff periods."""
    lives, before, after, successor = ["both"], [None], [None], [None]
    for i, (life, p1, p2, s) in enumerate(data["units"], start=1):
        old_ok = [j for j in range(i) if lives[j] in ("old", "both")]
        new_ok = [j for j in range(i) if lives[j] in ("new", "both")]
        lives.append(life)
        before.append(old_ok[p1 % len(old_ok)] if life != "new" else None)
        after.append(new_ok[p2 % len(new_ok)] if life != "old" else None)
        successor.append(new_ok[s % len(new_ok)] if life == "old" else None)
    # a unit whose parent closes must itself close or move: a "both" unit under an "old"
    # parent before the switch moves to its "after" parent from the switch (already so)
    staff = []
    old_units = [j for j, life in enumerate(lives) if life != "new"]
    new_units = [j for j, life in enumerate(lives) if life != "old"]
    for a, b, active1, active2, shift in data["staff"]:
        day = SWITCH + timedelta(days=shift)
        first = old_units[a % len(old_units)]
        second = new_units[b % len(new_units)]
        if lives[first] == "old" and day > SWITCH:
            day = SWITCH  # the first unit closes: the transfer is on the switch at the latest
        if lives[second] == "new" and day < SWITCH:
            day = SWITCH
        staff.append((first, second, active1, active2, day))
    return lives, before, after, successor, staff


def parent_on(lives, before, after, unit, day):
    return before[unit] if day <= LAST else after[unit]


def reference(lives, before, after, staff, holders, top, day):
    """(total, certified, {child: (total, certified)}) counted the slow, obvious way."""

    def unit_of(person, when):
        first, second, active1, active2, change = staff[person]
        return (first, active1) if when < change else (second, active2)

    def chain(unit):
        seen = []
        while unit is not None and in_force(lives[unit], day):
            seen.append(unit)
            unit = parent_on(lives, before, after, unit, day) if unit else None
        return seen

    children = [
        u
        for u in range(1, len(lives))
        if in_force(lives[u], day) and parent_on(lives, before, after, u, day) == top
    ]
    per_child = {c: [0, 0] for c in children}
    total = certified = 0
    for person in range(len(staff)):
        unit, active = unit_of(person, day)
        up = chain(unit)
        if not active or top not in up:
            continue
        held = any(owner == person and issued <= day for owner, issued in holders)
        total += 1
        certified += held
        for c in children:
            if c in up:
                per_child[c][0] += 1
                per_child[c][1] += held
    return total, certified, {c: tuple(v) for c, v in per_child.items()}


def csv_of(lives, before, after, successor):
    lines = ["code,name,kind,parent_code,valid_from,valid_to,successor_code,effective_from"]
    code = lambda j: f"U{j}"  # noqa: E731
    for j, life in enumerate(lives):
        vf = SWITCH.isoformat() if life == "new" else ""
        vt = LAST.isoformat() if life == "old" else ""
        succ = code(successor[j]) if successor[j] is not None else ""
        if life == "new":
            lines.append(f"{code(j)},Mới {j},commune,{code(after[j])},{vf},,,")
        elif life == "old" or j == 0:
            parent = code(before[j]) if before[j] is not None else ""
            lines.append(f"{code(j)},Cũ {j},district,{parent},,{vt},{succ},")
        else:
            lines.append(f"{code(j)},Đơn vị {j},school,{code(before[j])},,,,")
            lines.append(f"{code(j)},Đơn vị {j},school,{code(after[j])},,,,{SWITCH}")
    return "\n".join(lines) + "\n"


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=history)
def test_coverage_as_of_any_date_matches_the_reference(db, data):
    for model in (Certificate, Staff):
        db.session.execute(delete(model))
    db.session.execute(delete(OrgUnit))
    db.session.flush()
    lives, before, after, successor, staff = build(data)
    report = run_import(
        importer_for("orgunits"), "u.csv", csv_of(lives, before, after, successor).encode()
    )
    assert report.ok, [(e.row, e.column, str(e.reason)) for e in report.errors]
    units = {u.code: u for u in db.session.scalars(select(OrgUnit))}
    ids = [units[f"U{j}"].id for j in range(len(lives))]
    people, periods = [], {}
    for i, (first, second, active1, active2, day) in enumerate(staff):
        person = factories.make_staff(units[f"U{first}"], f"Người {i}")
        people.append(person)
        s1, s2 = ("active" if active1 else "inactive"), ("active" if active2 else "inactive")
        periods[person.id] = [
            [None, day - timedelta(days=1), (ids[first], "teacher", s1)],
            [day, None, (ids[second], "teacher", s2)],
        ]
    with managed_history():
        write_staff_history(periods)
    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    holders = []
    for j, (owner, issued) in enumerate(data["certs"]):
        if not people:
            break
        owner %= len(people)
        db.session.add(
            Certificate(
                number=f"N{j}",
                issuer_key="X",
                issuer="X",
                external=True,
                staff_id=people[owner].id,
                level_id=basic.id,
                issued_on=issued,
            )
        )
        holders.append((owner, issued))
    db.session.flush()
    db.session.expire_all()
    for day, pick in data["asks"]:
        top = pick % len(lives)
        unit = db.session.get(OrgUnit, ids[top])
        if not in_force(lives[top], day):
            with pytest.raises(NotInForce):
                coverage(unit, basic, day)
            continue
        total, certified, children = reference(lives, before, after, staff, holders, top, day)
        head, rows = coverage(unit, basic, day)
        # the per-unit counts rolled up and the subtree joined in SQL agree with each other
        assert coverage_by_join(unit, basic, day) == (head, rows), (day, top)
        assert (head.staff_total, head.certified) == (total, certified), (day, top)
        assert {row.code: (row.staff_total, row.certified) for row in rows} == {
            f"U{c}": v for c, v in children.items()
        }, (day, top)
        # the trend (per-unit masks) gives each month end's own figure, as the reference
        expected = []
        for end in month_ends(day, 4):
            if in_force(lives[top], end):
                total, certified, _children = reference(
                    lives, before, after, staff, holders, top, end
                )
                expected.append((end, percent_of(certified, total)))
            else:
                expected.append((end, None))
        assert trend(unit, basic, day, months=4) == expected, (day, top)
        assert trend_by_join(unit, basic, day, months=4) == expected, (day, top)
    db.session.rollback()
