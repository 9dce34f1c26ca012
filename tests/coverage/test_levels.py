"""Staff by highest level held, per unit, and the analysis page's comparison (issue 19)."""

from datetime import date

from sqlalchemy import select

from trainer.coverage.levels import level_distribution
from trainer.org.models import OrgUnit

from .. import factories
from ..api.test_year_on_year import certify, people


def test_each_person_counts_once_at_the_highest_level_held(db, tree):
    basic_only = factories.make_staff(tree["DB-A-S1"], "Lò Thị Mai")
    both = factories.make_staff(tree["DB-A-S1"], "Lò Văn Sơn")
    factories.make_staff(tree["DB-A-S2"], "Vừ A Dính")
    late = factories.make_staff(tree["DB-A"], "Quàng Văn Đức")
    certify(db, basic_only)
    certify(db, both)
    certify(db, both, "advanced")
    certify(db, late, issued_on=date(2026, 9, 1))
    db.session.commit()
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB-A"))
    keys, head, rows = level_distribution(unit, date(2026, 6, 30))
    assert keys == ["none", "basic", "advanced"]
    assert [(r.code, r.counts) for r in rows] == [
        ("DB-A-S2", {"none": 1, "basic": 0, "advanced": 0}),  # by name: THCS before Tiểu học
        ("DB-A-S1", {"none": 0, "basic": 1, "advanced": 1}),
        ("DB-A", {"none": 1, "basic": 0, "advanced": 0}),  # staff directly at the district
    ]
    assert head.counts == {"none": 2, "basic": 1, "advanced": 1} and head.staff_total == 4
    _keys, later, _rows = level_distribution(unit, date(2026, 9, 1))
    assert later.counts == {"none": 1, "basic": 2, "advanced": 1}


def test_analysis_page_compares_with_last_year_and_draws_the_levels(client, login_as, db, tree):
    people(db, tree)
    login_as("admin")
    page = client.get("/coverage/analysis?org=DB&as_of=2026-06-30&by=child&compare=today").get_data(
        as_text=True
    )
    assert "Năm trước: 30/06/2025." in page
    body = page.split('<table class="breakdown">')[1].split("</table>")[0]
    assert "<td>Huyện Mường Chà</td>" in body and "+25,0" in body
    foot = body.split("<tfoot>")[1]
    assert "75,0 %" in foot and "50,0 %" in foot
    chart = page.split('aria-labelledby="levels-title"')[1].split("</svg>")[0]
    assert chart.count('data-level="basic"') == 1 and "Chưa có chứng chỉ" in chart
    plain = client.get("/coverage/analysis?org=DB&as_of=2026-06-30&by=child&compare=junk")
    assert plain.status_code == 200 and "Năm trước" not in plain.get_data(as_text=True)
