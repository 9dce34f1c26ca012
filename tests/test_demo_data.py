"""The demo follows reality: Điện Biên's units before and after 1 July 2025, and a seeded
roster with the province's ethnic shares, school levels and national identifiers."""

import csv
from collections import Counter

from sqlalchemy import func, select

from trainer.demo.seed import UNITS_CSV, seed_demo_data
from trainer.org.attributes import ETHNIC_GROUPS
from trainer.org.models import OrgUnit, Staff


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
