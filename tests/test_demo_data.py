"""The demo follows reality: Điện Biên's units before and after 1 July 2025, and a seeded
roster with the province's ethnic shares, school levels and national identifiers."""

import csv
import io
from collections import Counter
from datetime import date

from sqlalchemy import func, select

from trainer.accounts.models import User
from trainer.curriculum.models import CertificateLevel
from trainer.demo.seed import REFORM_CSV, UNITS_CSV, reform_csv, reform_rows, seed_demo_data
from trainer.org.attributes import ETHNIC_GROUPS
from trainer.org.models import OrgUnit, Staff
from trainer.org.periods import OrgUnitPeriod, Reorganisation, StaffPeriod


def units():
    with UNITS_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_csv_holds_10_districts_129_communes_and_the_45_they_became():
    rows = units()
    by_code = {row["code"]: row for row in rows}
    assert len(by_code) == len(rows) == 1 + 10 + 129 + 45
    districts = [r for r in rows if r["kind"] == "district"]
    old = [r for r in rows if r["kind"] == "commune" and r["valid_to"] == "2025-06-30"]
    new = [r for r in rows if r["valid_from"] == "2025-07-01"]
    assert len(districts) == 10 and all(r["valid_to"] == "2025-06-30" for r in districts)
    assert {r["name"] for r in districts} >= {
        "Thành phố Điện Biên Phủ",
        "Thị xã Mường Lay",
        "Huyện Nậm Pồ",
        "Huyện Tuần Giáo",
    }
    assert len(old) == 129 and len(new) == 45
    assert sum(r["name"].startswith("Phường ") for r in new) == 3
    # every old commune lies in a district and merged into one of the new communes
    assert all(by_code[r["parent_code"]]["kind"] == "district" for r in old)
    assert all(by_code[r["successor_code"]] in new for r in old)
    assert {r["code"] for r in new} == {r["successor_code"] for r in old}
    # e.g. Mường Nhé = Mường Nhé + Nậm Vì + Chung Chải (Resolution 1661/NQ-UBTVQH15)
    into = Counter()
    for row in old:
        into[by_code[row["successor_code"]]["name"]] += 1
    merged = {r["name"] for r in old if by_code[r["successor_code"]]["name"] == "Xã Mường Nhé"}
    assert merged == {"Xã Mường Nhé", "Xã Nậm Vì", "Xã Chung Chải"}
    assert by_code["DB-MCH-SALONG"]["name"] == "Xã Sa Lông"
    assert sum(into.values()) == 129 and all(n >= 1 for n in into.values())


def test_the_csv_loads_through_the_org_unit_import(runner, db):
    result = runner.invoke(args=["import", "orgunits", str(UNITS_CSV), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(OrgUnit)) == 185


def test_seed_demo_uses_real_communes_ethnic_shares_levels_and_identifiers(db):
    seed_demo_data("small")
    real = {row["code"]: row["name"] for row in units()}
    communes = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == "commune")).all()
    assert communes and all(real.get(c.code) == c.name for c in communes)
    assert all(
        c.parent.code == next(r["parent_code"] for r in units() if r["code"] == c.code)
        for c in communes
    )
    schools = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == "school")).all()
    assert all(s.school_level for s in schools) and all(s.moet_id for s in schools)
    assert {s.school_level for s in schools} >= {"thpt", "tieu_hoc", "thcs"}
    flagged = [s for s in schools if s.disadvantaged]
    assert flagged and all(s.parent.name.startswith("Xã ") for s in flagged)
    staff = db.session.execute(select(Staff.ethnicity, Staff.moet_id)).all()
    shares = Counter(e for e, _ in staff)
    total = len(staff)
    assert set(shares) - {None} <= set(ETHNIC_GROUPS)
    assert 0.28 < shares["Thái"] / total < 0.48 and 0.25 < shares["Mông"] / total < 0.45
    assert 0.10 < shares["Kinh"] / total < 0.26
    assert len({m for _, m in staff}) == total and all(m for _, m in staff)


# --- the demo follows the reform (issue 15 item 7) -------------------------------------------

WHOLE = {"districts": None, "communes": None, "schools": (1, 1), "staff": 3}


def reference_coverage(db, day):
    """{child code of the province on ``day``: active staff in its subtree on ``day``}, by a
    plain walk over the stored periods (no SQL beyond reading the rows)."""
    code_of = dict(db.session.execute(select(OrgUnit.id, OrgUnit.code)).all())

    def on(start, end):
        return (start is None or start <= day) and (end is None or end >= day)

    parent = {
        code_of[uid]: code_of.get(pid)
        for uid, start, end, pid in db.session.execute(
            select(
                OrgUnitPeriod.org_unit_id,
                OrgUnitPeriod.valid_from,
                OrgUnitPeriod.valid_to,
                OrgUnitPeriod.parent_id,
            )
        )
        if on(start, end)
    }
    counts = Counter()
    for uid, start, end, status in db.session.execute(
        select(
            StaffPeriod.org_unit_id,
            StaffPeriod.valid_from,
            StaffPeriod.valid_to,
            StaffPeriod.status,
        )
    ):
        if not on(start, end) or status != "active":
            continue
        code = code_of[uid]
        while parent.get(code) not in (None, "DB"):
            code = parent[code]
        counts[code] += 1
    counts.pop("DB", None)  # staff at the province itself: in the head, not in a row
    return counts


def rows_by_code(db, day):
    from trainer.coverage.services import coverage

    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    head, rows = coverage(
        db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB")), basic, day
    )
    return head.staff_total, {r.code: r.staff_total for r in rows if r.staff_total}


def test_the_shipped_reform_file_is_generated_from_the_units_csv():
    rows = list(csv.DictReader(io.StringIO(REFORM_CSV.read_text(encoding="utf-8"))))
    assert REFORM_CSV.read_bytes() == reform_csv(reform_rows())
    # the rows for the units of the province scale (every district and commune) are the file
    codes = {r["code"] for r in units() if r["valid_to"]} | {r["to_code"] for r in rows}
    codes |= {r["code"] for r in rows}
    assert reform_csv(reform_rows(codes)) == REFORM_CSV.read_bytes()
    actions = Counter(r["action"] for r in rows)
    assert actions == {"close": 129 + 10 + 10, "move": 10}  # communes, offices, districts
    assert {r["on"] for r in rows} == {"2025-07-01"}
    successors = {row["code"]: row["successor_code"] for row in units()}
    communes = [r for r in rows if r["code"] in successors and successors[r["code"]]]
    assert len(communes) == 129
    assert all(r["to_code"] == successors[r["code"]] for r in communes)


def test_seed_demo_applies_the_reform_and_coverage_agrees_on_both_sides(db):
    from trainer.org.reorganisation import undo

    summary = seed_demo_data("small")
    assert summary["reform"] and summary["transfers"] and summary["joiners"]
    record = db.session.scalar(select(Reorganisation))
    assert record is not None and record.filename == REFORM_CSV.name
    district = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB-MCH"))
    assert district.valid_to == date(2025, 6, 30) and district.successor_code == "DB"
    before_total, before = rows_by_code(db, date(2025, 6, 30))
    after_total, after = rows_by_code(db, date(2025, 7, 1))
    # on 30 June the old districts, from 1 July the new communes (and the province's THPT)
    assert set(before) == {"DB-MCH", "DB-DBD"}
    assert any(code.count("-") == 1 for code in after) and not set(after) & set(before)
    assert all(code.endswith("-THPT") or code.count("-") == 1 for code in after)
    assert before == reference_coverage(db, date(2025, 6, 30))
    assert after == reference_coverage(db, date(2025, 7, 1))
    # the reform moved nobody out of the province; joiners and leavers came later
    assert before_total == after_total == sum(before.values())
    later_total, later = rows_by_code(db, date(2025, 9, 30))
    assert later == reference_coverage(db, date(2025, 9, 30)) and later_total != after_total
    joined = db.session.scalars(
        select(StaffPeriod.staff_id).where(StaffPeriod.valid_from == date(2025, 9, 5))
    ).all()
    assert joined
    # the demo accounts work in the new commune the first old one merged into
    manager = db.session.scalar(select(User).where(User.role == "manager"))
    assert manager.org_unit.valid_from == date(2025, 7, 1) and manager.org_unit.in_force(
        date.today()
    )
    # the reform is the seed's last change: an admin can still undo it
    undo(record)
    db.session.expire_all()
    assert district.valid_to is None
    assert set(rows_by_code(db, date(2025, 7, 1))[1]) == {"DB-MCH", "DB-DBD"}


def test_the_shipped_reform_file_previews_applies_and_undoes_on_a_demo_before_it(
    db, runner, monkeypatch
):
    from trainer.demo import activity as seed_activity
    from trainer.demo import seed
    from trainer.org.reorganisation import undo

    monkeypatch.setitem(seed.SCALES, "whole", WHOLE)
    monkeypatch.setitem(seed_activity.SESSIONS_PER_TRAINER, "whole", 1)
    monkeypatch.setitem(seed_activity.ROSTER_SIZE, "whole", (4, 6))
    summary = seed_demo_data("whole", before_reform=True)
    db.session.commit()
    assert not summary["reform"]
    district = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB-NPO"))
    assert district.valid_to is None
    before = snapshot(db)
    dry = runner.invoke(args=["import", "reorganisation", str(REFORM_CSV), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "DB-MUONGNHE" in dry.output and "2025-06-30" in dry.output
    assert snapshot(db) == before
    applied = runner.invoke(args=["import", "reorganisation", str(REFORM_CSV)])
    assert applied.exit_code == 0, applied.output
    db.session.expire_all()
    closed = db.session.scalars(select(OrgUnit).where(OrgUnit.valid_to.is_not(None))).all()
    assert len(closed) == 10 + 10 + 129
    _total, after = rows_by_code(db, date(2025, 7, 1))
    assert after == reference_coverage(db, date(2025, 7, 1))
    assert sum(1 for code in after if code.count("-") == 1) == 45
    undo(db.session.scalar(select(Reorganisation)))
    db.session.commit()
    assert snapshot(db) == before


def snapshot(db):
    def rows(stmt):
        return sorted(tuple(str(v) for v in row) for row in db.session.execute(stmt))

    return {
        "units": rows(select(OrgUnit.__table__)),
        "periods": rows(select(OrgUnitPeriod.__table__)),
        "staff": rows(select(Staff.__table__)),
        "staff_periods": rows(select(StaffPeriod.__table__)),
        "users": rows(select(User.id, User.org_unit_id)),
    }


# --- the national scale (issue 15 item 8), at a tiny size ------------------------------------


def test_the_national_generator_builds_provinces_communes_schools_and_certified_staff(db):
    from trainer.certificates.models import Certificate
    from trainer.coverage.services import coverage
    from trainer.demo.national import seed_national

    sizes = {"provinces": 3, "communes": 2, "schools": 2, "staff": 6}
    summary = seed_national(sizes=sizes)
    db.session.commit()
    root = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "VN"))
    assert root.parent_id is None and summary["root"] == "VN"
    kinds = Counter(db.session.scalars(select(OrgUnit.kind)))
    assert kinds == {"other": 1, "province": 3, "commune": 6, "school": 12}
    assert summary["units"] == 22 and summary["staff"] == count(db, Staff) >= 12 * 6
    # paths are those the app computes; every unit and person has its open period
    for unit in db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_not(None))):
        assert unit.path == f"{unit.parent.path}{unit.id}/" and unit.depth == unit.parent.depth + 1
    assert count(db, OrgUnitPeriod) == 22 and count(db, StaffPeriod) == summary["staff"]
    assert summary["certificates"] == count(db, Certificate) > 0
    # the country's coverage by province agrees with a plain count
    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    head, rows = coverage(root, basic)
    province_of = {}
    for unit in db.session.scalars(select(OrgUnit)):
        top = unit
        while top.parent is not None and top.parent.code != "VN":
            top = top.parent
        province_of[unit.id] = top.code
    people = db.session.execute(select(Staff.org_unit_id, Staff.status)).all()
    expected = Counter(province_of[u] for u, status in people if status == "active")
    assert {r.code: r.staff_total for r in rows} == expected
    assert head.staff_total == sum(expected.values())
    certified = Counter(
        province_of[u]
        for u, status in db.session.execute(
            select(Staff.org_unit_id, Staff.status).join(
                Certificate, Certificate.staff_id == Staff.id
            )
        )
        if status == "active"
    )
    assert {r.code: r.certified for r in rows} == certified
    # new rows after the explicit ids get fresh ones (the sequences moved on)
    factories_staff = Staff(
        staff_code="NEW1", full_name="Lò Văn Mới", search_key="lo van moi", org_unit_id=root.id
    )
    db.session.add(factories_staff)
    db.session.flush()
    assert factories_staff.id > max(
        db.session.scalars(select(Staff.id).where(Staff.id != factories_staff.id))
    )


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_before_reform_on_the_command_line(runner, db):
    result = runner.invoke(args=["seed-demo", "--before-reform"])
    assert result.exit_code == 0, result.output
    assert "before the 2025 reform" in result.output
    assert db.session.scalar(select(func.count()).select_from(Reorganisation)) == 0
    # the new communes wait, empty, from 1 July 2025; the districts are still open
    district = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB-MCH"))
    assert district.valid_to is None
    waiting = db.session.scalars(
        select(OrgUnit).where(OrgUnit.valid_from == date(2025, 7, 1))
    ).all()
    assert waiting and all(u.kind == "commune" and not u.children for u in waiting)


def test_seeded_certificates_of_ours_record_the_design_they_are_printed_with(db):
    """A demo certificate of ours is one issued with the design that applies (on a new
    database the province's default): it records that version as issuing does, so its first
    download neither looks the design up nor writes it; imported ones have none."""
    from trainer.certificates.designs import design_version_for
    from trainer.certificates.documents import design_of
    from trainer.certificates.models import Certificate

    seed_demo_data("small")
    db.session.commit()
    certs = db.session.scalars(select(Certificate)).all()
    ours = [c for c in certs if not c.external]
    assert ours and all(c.design_version_id is None for c in certs if c.external)
    for cert in ours[:: max(1, len(ours) // 20)]:
        assert cert.design_version_id is not None
        assert cert.design_version_id == design_version_for(cert.staff.org_unit, cert.level).id
    design_of(ours[0])
    assert not db.session.dirty
