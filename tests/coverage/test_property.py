"""Coverage against a plain Python reference on random trees, staff and certificates."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from trainer.certificates.models import Certificate
from trainer.coverage.models import Target
from trainer.coverage.services import coverage
from trainer.curriculum.models import CertificateLevel
from trainer.org.models import OrgUnit, Staff

from .. import factories

AS_OF = date(2026, 6, 30)
DAYS = st.integers(min_value=-40, max_value=40).map(lambda d: AS_OF + timedelta(days=d))

world = st.fixed_dictionaries(
    {
        "parents": st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=8),
        "staff": st.lists(
            st.tuples(
                st.integers(0, 8),
                st.booleans(),
                st.sampled_from(["teacher", "it_teacher", "staff"]),
            ),
            max_size=25,
        ),
        "certs": st.lists(
            st.tuples(
                st.integers(0, 24),
                st.sampled_from(["basic", "advanced"]),
                DAYS,
                st.one_of(st.none(), DAYS),
                st.one_of(st.none(), DAYS),
            ),
            max_size=30,
        ),
        "targets": st.lists(
            st.tuples(st.integers(0, 8), st.integers(0, 100), st.sampled_from([2025, 2026])),
            max_size=4,
        ),
        "position": st.sampled_from([None, "teacher"]),
        "level": st.sampled_from(["basic", "advanced"]),
    }
)


def reference(root, units, parent_of, staff, certs, targets, level_rank, ranks, position):
    """Coverage of ``root`` and its children computed the slow, obvious way."""

    def in_subtree(unit_index, top):
        while unit_index is not None:
            if unit_index == top:
                return True
            unit_index = parent_of[unit_index]
        return False

    def holds(person_index):
        for owner, level, issued, revoked, expires in certs:
            if owner != person_index or ranks[level] < level_rank or issued > AS_OF:
                continue
            if revoked is not None and revoked <= AS_OF:
                continue
            if expires is not None and expires <= AS_OF:
                continue
            return True
        return False

    def row(top):
        members = [
            i
            for i, (u, active, pos) in enumerate(staff)
            if active and in_subtree(u, top) and (position is None or pos == position)
        ]
        certified = sum(1 for i in members if holds(i))
        percent = (
            None
            if not members
            else float(
                (Decimal(100 * certified) / len(members)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            )
        )
        target, node = None, top
        while node is not None and target is None:
            target = targets.get(node)
            node = parent_of[node]
        return len(members), certified, percent, target

    children = [i for i, p in enumerate(parent_of) if p == root]
    return row(root), {i: row(i) for i in children}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=world)
def test_coverage_matches_the_reference(db, data):
    for model in (Target, Certificate, Staff):
        db.session.execute(delete(model))
    db.session.execute(delete(OrgUnit))
    db.session.flush()
    # a random tree: unit i's parent is one of the units before it
    units = [factories.make_unit("R", "Gốc", "province")]
    parent_of = [None]
    for i, pick in enumerate(data["parents"], start=1):
        parent = pick % i
        units.append(factories.make_unit(f"U{i}", f"Đơn vị {i}", "school", units[parent]))
        parent_of.append(parent)
    n = len(units)
    staff = [(u % n, active, pos) for u, active, pos in data["staff"]]
    people = [
        factories.make_staff(units[u], f"Người {i}", pos, status="active" if active else "inactive")
        for i, (u, active, pos) in enumerate(staff)
    ]
    levels = {lv.code: lv for lv in db.session.scalars(select(CertificateLevel))}
    certs = []
    for j, (owner, level, issued, revoked, expires) in enumerate(data["certs"]):
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
                level_id=levels[level].id,
                issued_on=issued,
                status="revoked" if revoked else "valid",
                revoked_on=revoked,
                expires_on=expires,
            )
        )
        certs.append((owner, level, issued, revoked, expires))
    targets = {}
    for u, percent, year in data["targets"]:
        u %= n
        if year == AS_OF.year and u not in targets:
            targets[u] = float(percent)
        if not db.session.scalar(
            select(Target.id).where(
                Target.org_unit_id == units[u].id,
                Target.year == year,
                Target.level_id == levels[data["level"]].id,
            )
        ):
            db.session.add(
                Target(
                    org_unit_id=units[u].id,
                    level_id=levels[data["level"]].id,
                    year=year,
                    percent=percent,
                )
            )
    db.session.flush()
    ranks = {code: lv.rank for code, lv in levels.items()}
    expected_head, expected_children = reference(
        0, units, parent_of, staff, certs, targets, ranks[data["level"]], ranks, data["position"]
    )
    head, rows = coverage(units[0], levels[data["level"]], AS_OF, data["position"])
    assert (head.staff_total, head.certified, head.percent, head.target_percent) == expected_head
    by_code = {row.code: row for row in rows}
    for index, expected in expected_children.items():
        row = by_code[units[index].code]
        assert (row.staff_total, row.certified, row.percent, row.target_percent) == expected
    db.session.rollback()
