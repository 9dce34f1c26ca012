"""The 2025 reform as one reorganisation: preview, apply, coverage by old and new units, undo."""

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.certificates.models import Certificate
from trainer.coverage.services import NotInForce, coverage, coverage_by_structure_of
from trainer.curriculum.models import CertificateLevel
from trainer.imports import importer_for
from trainer.imports.base import run_import
from trainer.org.models import OrgUnit, Staff
from trainer.org.periods import OrgUnitPath, OrgUnitPeriod, Reorganisation, StaffPeriod
from trainer.org.reorganisation import UndoRefused, undo

from .. import factories

UNITS = """code,name,kind,parent_code,valid_from
P,Tỉnh Điện Biên,province,,
D1,Huyện Mường Chà,district,P,
D2,Huyện Tủa Chùa,district,P,
C1,Xã Sa Lông,commune,D1,
C2,Xã Huổi Lèng,commune,D1,
C3,Xã Sính Phình,commune,D2,
S1,Trường Tiểu học Sa Lông,school,C1,
S2,Trường THCS Sính Phình,school,C3,
H,Trường THPT Tủa Chùa,school,D2,
N1,Xã Sa Lông mới,commune,P,2025-07-01
N2,Xã Sính Phình mới,commune,P,2025-07-01
"""
REFORM = """code,action,on,to_code,name
S1,move,01/07/2025,N1,
S2,move,01/07/2025,N2,
H,move,01/07/2025,P,
C1,close,01/07/2025,N1,
C2,close,01/07/2025,N1,
C3,close,01/07/2025,N2,
D1,close,01/07/2025,P,
D2,close,01/07/2025,P,
N2,rename,2025-07-01,,Xã Sính Phình
"""


@pytest.fixture(autouse=True)
def english(db):
    with force_locale("en"):
        yield


@pytest.fixture
def province(db):
    assert run_import(importer_for("orgunits"), "u.csv", UNITS.encode()).ok
    units = {u.code: u for u in db.session.scalars(select(OrgUnit))}
    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    staff = {}
    for code, count, certified in (
        ("S1", 4, 3),
        ("C2", 2, 0),
        ("S2", 3, 1),
        ("H", 5, 5),
        ("D1", 2, 1),
    ):
        for i in range(count):
            person = factories.make_staff(units[code], f"Người {code} {i}")
            staff.setdefault(code, []).append(person)
            if i < certified:
                db.session.add(
                    Certificate(
                        number=f"{code}-{i}",
                        issuer_key="X",
                        issuer="X",
                        external=True,
                        staff_id=person.id,
                        level_id=basic.id,
                        issued_on=date(2024, 1, 1),
                    )
                )
    db.session.commit()
    return units, staff, basic


def reorganise(text, dry_run=False):
    return run_import(importer_for("reorganisation"), "reform.csv", text.encode(), dry_run=dry_run)


def state(db):
    """Every row the reorganisation touches (derived paths without their ids)."""

    def rows(stmt):
        return sorted(tuple(str(v) for v in row) for row in db.session.execute(stmt))

    return {
        "units": rows(select(OrgUnit.__table__)),
        "periods": rows(select(OrgUnitPeriod.__table__)),
        "staff": rows(select(Staff.__table__)),
        "staff_periods": rows(select(StaffPeriod.__table__)),
        "paths": rows(
            select(
                OrgUnitPath.org_unit_id,
                OrgUnitPath.valid_from,
                OrgUnitPath.valid_to,
                OrgUnitPath.path,
            )
        ),
        "users": rows(select(User.id, User.org_unit_id)),
    }


def figures(unit, basic, day):
    head, rows = coverage(unit, basic, day)
    return (head.staff_total, head.certified), {r.code: (r.staff_total, r.certified) for r in rows}


def test_the_reform_previews_applies_and_counts_by_old_and_new_units(db, province):
    units, staff, basic = province
    before = state(db)
    dry = reorganise(REFORM, dry_run=True)
    assert dry.ok, [(e.row, e.column, str(e.reason)) for e in dry.errors]
    receiving = {r["code"]: (sorted(r["units"]), r["staff"]) for r in dry.plan.preview["receiving"]}
    assert receiving == {
        "N1": (["C1", "C2", "S1"], 6),
        "N2": (["C3", "S2"], 3),
        "P": (["D1", "D2", "H"], 7),
    }
    assert {c["code"] for c in dry.plan.preview["closing"]} == {"C1", "C2", "C3", "D1", "D2"}
    db.session.rollback()
    assert state(db) == before  # a dry run writes nothing

    report = reorganise(REFORM)
    assert report.ok
    db.session.commit()
    p = units["P"]
    assert figures(p, basic, date(2025, 6, 30)) == ((16, 10), {"D1": (8, 4), "D2": (8, 6)})
    assert figures(units["D1"], basic, date(2025, 6, 30)) == ((8, 4), {"C1": (4, 3), "C2": (2, 0)})
    # from 1 July: the new communes; the district staff and C2's staff went to successors
    assert figures(p, basic, date(2025, 7, 1)) == (
        (16, 10),
        {"N1": (6, 3), "N2": (3, 1), "H": (5, 5)},
    )
    with pytest.raises(NotInForce) as closed:
        coverage(units["D1"], basic, date(2025, 7, 1))
    assert closed.value.details == {
        "valid_from": None,
        "valid_to": "2025-06-30",
        "successor_code": "P",
    }
    assert db.session.get(OrgUnit, units["N2"].id).name == "Xã Sính Phình"
    # a year later by today's structure: the old units' staff at their successors
    head, rows = coverage_by_structure_of(p, basic, date(2025, 6, 30), date(2026, 6, 30))
    assert {r.code: r.staff_total for r in rows} == {"N1": 6, "N2": 3, "H": 5}
    assert head.staff_total == 16  # D1's own staff are counted at P itself

    record = db.session.scalar(select(Reorganisation))
    undo(record)
    db.session.commit()
    assert state(db) == before


def test_undo_is_refused_once_something_else_changed(db, province):
    units, _staff, _basic = province
    assert reorganise(REFORM).ok
    db.session.commit()
    factories.make_staff(units["N1"], "Người Mới")
    db.session.commit()
    with pytest.raises(UndoRefused):
        undo(db.session.scalar(select(Reorganisation)))


def test_bad_rows_are_all_reported_and_nothing_is_written(db, province):
    before = state(db)
    report = reorganise(
        "code,action,on,to_code,name\n"
        "C1,close,01/07/2025,NOPE,\n"  # unknown successor
        "C3,close,01/07/2025,C2,\n"  # successor closes before
        "C2,close,01/07/2025,N1,\n"
        "S1,explode,01/07/2025,N1,\n"  # unknown action
        "D1,close,01/07/2025,P,\n"
    )  # S1 still open under C1/D1
    rows = {(e.row, e.column) for e in report.errors}
    assert {(2, "to_code"), (5, "action")} <= rows
    assert not report.written
    report = reorganise(
        "code,action,on,to_code,name\nC3,close,01/07/2025,C2,\nC2,close,01/07/2025,N1,\n"
    )
    assert any(e.column == "successor_code" and "C2" in str(e.reason) for e in report.errors), [
        (e.row, str(e.reason)) for e in report.errors
    ]
    # a school moved under a commune after the commune's last day
    report = reorganise(
        "code,action,on,to_code,name\nC2,close,01/07/2025,N1,\nS1,move,02/07/2025,C2,\n"
    )
    assert any(
        e.row == 3 and e.column == "parent_code" and "still under C2" in str(e.reason)
        for e in report.errors
    ), [(e.row, str(e.reason)) for e in report.errors]
    db.session.rollback()
    assert state(db) == before


def test_cli_reorganisation_dry_run_prints_the_preview(runner, db, province, tmp_path):
    path = tmp_path / "reform.csv"
    path.write_text(REFORM, encoding="utf-8")
    result = runner.invoke(
        args=["import", "reorganisation", str(path), "--dry-run", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "N1" in result.output and "C1" in result.output
    assert db.session.scalar(select(Reorganisation.id)) is None


def test_subtree_staff_by_the_children_index_equals_the_paths_of_the_whole_tree(db, province):
    """The plan counts a moved unit's staff by walking down an index of children; the paths
    of the whole tree on the day (what it replaced) give the same figure, loops included."""
    from trainer.org.reorganisation import (
        active_staff_by_unit,
        plan_changes,
        subtree_staff,
        subtree_staff_by_paths,
    )

    day = date(2025, 7, 1)
    loop = [(2, "D1", "move", day, "C1", None)]  # a district under its own commune
    reform = [(2, "C1", "close", day, "N1", None), (3, "D2", "close", day, "P", None)]
    for changes in (reform, loop):
        plan = plan_changes(changes)
        active = active_staff_by_unit({day, date(2025, 6, 30)})
        for code in plan.lives:
            for on in active:
                assert subtree_staff(plan, code, on, active) == subtree_staff_by_paths(
                    plan, code, on, active
                ), (code, on)
    report = reorganise(f"code,action,on,to_code,name\nD1,move,{day:%d/%m/%Y},C1,\n")
    assert any(e.column == "parent_code" and "D1" in str(e.reason) for e in report.errors), [
        (e.row, str(e.reason)) for e in report.errors
    ]
    db.session.rollback()
