"""Breakdowns against a plain Python reference on random trees, attributes and certificates."""

from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from trainer.certificates.models import Certificate
from trainer.coverage import states
from trainer.coverage.breakdown import Dimension, coverage_breakdown
from trainer.coverage.services import coverage, percent_of
from trainer.curriculum.models import CertificateLevel
from trainer.org.models import OrgUnit, Staff

from .. import factories

AS_OF = date(2026, 6, 30)
DAYS = st.integers(min_value=-40, max_value=40).map(lambda d: AS_OF + timedelta(days=d))
DIMENSIONS = [d.value for d in Dimension]

world = st.fixed_dictionaries(
    {
        # per unit: parent pick, own school level, own disadvantaged flag
        "units": st.lists(
            st.tuples(
                st.integers(0, 10),
                st.sampled_from([None, "tieu_hoc", "thcs", "mam_non"]),
                st.sampled_from([None, True, False]),
            ),
            min_size=1,
            max_size=7,
        ),
        "root": st.tuples(st.sampled_from([None, "thpt"]), st.sampled_from([None, True, False])),
        "staff": st.lists(
            st.tuples(
                st.integers(0, 8),
                st.booleans(),
                st.sampled_from(["teacher", "it_teacher", "staff"]),
                st.sampled_from([None, "male", "female", "other"]),
                st.sampled_from([None, "Kinh", "Thái", "H'Mông"]),
            ),
            max_size=20,
        ),
        "certs": st.lists(
            st.tuples(
                st.integers(0, 24),
                st.sampled_from(["basic", "advanced"]),
                DAYS,
                st.one_of(st.none(), DAYS),
            ),
            max_size=20,
        ),
        "level": st.sampled_from(["basic", "advanced"]),
        "top": st.integers(0, 8),
        "by": st.lists(st.sampled_from(DIMENSIONS), min_size=1, max_size=2, unique=True),
    }
)


def reference(data, parent_of, staff, ranks, top, codes):
    """{cell: [total, certified]} counted person by person, the slow, obvious way."""
    attrs = [data["root"], *((sl, dis) for _p, sl, dis in data["units"])]

    def chain(unit):
        seen = []
        while unit is not None:
            seen.append(unit)
            unit = parent_of[unit]
        return seen

    def nearest(unit, index):
        return next((attrs[u][index] for u in chain(unit) if attrs[u][index] is not None), None)

    def holds(person):
        return any(
            owner == person
            and ranks[level] >= ranks[data["level"]]
            and issued <= AS_OF
            and (revoked is None or revoked > AS_OF)
            for owner, level, issued, revoked in data["certs"]
        )

    def value(dim, person):
        unit, _active, position, gender, ethnicity = staff[person]
        if dim == "school_level":
            return nearest(unit, 0)
        if dim == "disadvantaged":
            return bool(nearest(unit, 1))
        if dim == "position":
            return position
        if dim == "gender":
            return gender if gender in ("male", "female") else None
        if dim == "ethnic_minority":
            return None if ethnicity is None else ethnicity != "Kinh"
        up = chain(unit)
        return codes[up[up.index(top) - 1]] if unit != top else codes[top]

    cells = Counter()
    for person, (unit, active, *_rest) in enumerate(staff):
        if active and top in chain(unit):
            key = tuple(value(dim, person) for dim in data["by"])
            cells[key, "total"] += 1
            cells[key, "certified"] += holds(person)
    return {
        key: (cells[key, "total"], cells[key, "certified"])
        for key, kind in cells
        if kind == "total"
    }


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=world)
def test_breakdown_matches_the_reference_and_adds_up_to_coverage(db, data):
    for model in (Certificate, Staff):
        db.session.execute(delete(model))
    db.session.execute(delete(OrgUnit))
    db.session.flush()
    units = [factories.make_unit("R", "Gốc", "province")]
    units[0].school_level, units[0].disadvantaged = data["root"]
    parent_of = [None]
    for i, (pick, level, disadvantaged) in enumerate(data["units"], start=1):
        units.append(factories.make_unit(f"U{i}", f"Đơn vị {i}", "school", units[pick % i]))
        units[-1].school_level, units[-1].disadvantaged = level, disadvantaged
        parent_of.append(pick % i)
    n = len(units)
    # a second province: a root's breakdown reads every unit's periods (no subtree join) and
    # must keep only its own subtree's
    other = factories.make_unit("Q", "Tỉnh khác", "province")
    for i, gender in enumerate(("male", "female")):
        school = factories.make_unit(f"Q{i}", f"Trường khác {i}", "school", other)
        factories.make_staff(school, f"Người khác {i}", gender=gender, ethnicity="Thái")
    staff = [
        (u % n, active, pos, gender, ethnicity)
        for u, active, pos, gender, ethnicity in data["staff"]
    ]
    people = [
        factories.make_staff(
            units[u],
            f"Người {i}",
            pos,
            gender=gender,
            ethnicity=ethnicity,
            status="active" if active else "inactive",
        )
        for i, (u, active, pos, gender, ethnicity) in enumerate(staff)
    ]
    levels = {lv.code: lv for lv in db.session.scalars(select(CertificateLevel))}
    for j, (owner, level, issued, revoked) in enumerate(data["certs"]):
        if people:
            db.session.add(
                Certificate(
                    number=f"N{j}",
                    issuer_key="X",
                    issuer="X",
                    external=True,
                    staff_id=people[owner % len(people)].id,
                    level_id=levels[level].id,
                    issued_on=issued,
                    status="revoked" if revoked else "valid",
                    revoked_on=revoked,
                )
            )
    db.session.flush()
    data["certs"] = [(owner % max(len(people), 1), *rest) for owner, *rest in data["certs"]]
    top = data["top"] % n
    ranks = {code: lv.rank for code, lv in levels.items()}
    expected = reference(data, parent_of, staff, ranks, top, [u.code for u in units])

    # counted from the periods and holders while the changes are not committed (the states
    # of the people just written are stale), then from their rebuilt states
    rows = coverage_breakdown(units[top], levels[data["level"]], AS_OF, data["by"])
    if people:
        assert not states.fresh(db.session)
    states.refresh(db.session)
    assert states.fresh(db.session)
    from_states = coverage_breakdown(units[top], levels[data["level"]], AS_OF, data["by"])

    got = {
        tuple(row[dim] for dim in data["by"]): (row["staff_total"], row["certified"])
        for row in rows
    }
    assert got == expected
    assert from_states == rows
    assert all(row["percent"] == percent_of(row["certified"], row["staff_total"]) for row in rows)
    head, _children = coverage(units[top], levels[data["level"]], AS_OF)
    assert sum(row["staff_total"] for row in rows) == head.staff_total
    assert sum(row["certified"] for row in rows) == head.certified
    db.session.rollback()
