"""Dashboard polish: the furthest units first, gaps in words, charts in the tables' number
format with % on the axis, and a to-do list that pages, filters and leads back."""

import re
from datetime import date

from sqlalchemy import select

from trainer.coverage.models import Target
from trainer.curriculum.models import CertificateLevel

from .. import factories
from .test_coverage import certify


def setting(db, tree):
    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    year = date.today().year
    # DB-A-S1: 1 of 4 certified (25 %), target 80 → 55 points short
    # DB-A-S2: 2 of 2 certified (100 %), target 90 → 10 points above
    s1 = [factories.make_staff(tree["DB-A-S1"], f"Người Một {i}") for i in range(4)]
    s2 = [factories.make_staff(tree["DB-A-S2"], f"Người Hai {i}") for i in range(2)]
    for person in s1[:1] + s2:
        certify(db, person, basic)
    db.session.add_all(
        [
            Target(org_unit_id=tree["DB-A-S1"].id, level_id=basic.id, year=year, percent=80),
            Target(org_unit_id=tree["DB-A-S2"].id, level_id=basic.id, year=year, percent=90),
        ]
    )
    db.session.commit()
    return s1, s2


def row_names(page):
    return re.findall(r'<tr>\s*<td[^>]*><a href="/coverage\?[^"]*">([^<]+)</a>', page)


def test_units_furthest_behind_come_first_and_gaps_read_as_words(client, login_as, db, tree):
    setting(db, tree)
    login_as("manager")  # DB-A
    page = client.get("/coverage").get_data(as_text=True)
    s1, s2 = tree["DB-A-S1"].name, tree["DB-A-S2"].name
    assert row_names(page) == [s1, s2]  # 55 points short before 10 above
    assert "còn thiếu 55,0 điểm" in page and "vượt chỉ tiêu 10,0 điểm" in page
    assert "−10" not in page and "-10,0" not in page
    by_name = client.get("/coverage?sort=name").get_data(as_text=True)
    assert row_names(by_name) == sorted([s1, s2])


def test_charts_write_numbers_as_the_tables_do(client, login_as, db, tree):
    setting(db, tree)
    login_as("manager")
    page = client.get("/coverage").get_data(as_text=True)
    for title in ("bars-title", "bars-narrow-title"):  # the laptop's bars and the phone's
        bars = page[page.index(f'aria-labelledby="{title}"') :]
        bars = bars[: bars.index("</svg>")]  # (not the trend's coordinates after it)
        assert "25,0 %</text>" in bars and "100,0 %</text>" in bars
        assert "25.0" not in bars
    trend = page[page.index('aria-labelledby="trend-title"') :]
    assert re.search(r">\d+ %</text>", trend)  # the y axis says percent
    english = client.get("/coverage?lang=en").get_data(as_text=True)
    assert "25.0 %</text>" in english


def test_who_still_needs_what_pages_filters_and_leads_back(client, login_as, db, tree, app):
    for i in range(120):
        factories.make_staff(tree["DB-A-S1"], f"Lò Văn Số {i:03d}")
    factories.make_staff(tree["DB-A-S2"], "Đặng Thị Ánh", staff_code="ANH1")
    db.session.commit()
    login_as("manager")
    first = client.get("/coverage/uncertified?org=DB-A").get_data(as_text=True)
    total = int(re.search(r'lead">(\d+) cán bộ', first).group(1))
    assert total >= 121  # and the manager's own staff record
    assert first.count('<th scope="row">') == app.config["PAGE_SIZE"] * 2
    assert 'rel="next"' in first and "page=2" in first
    second = client.get("/coverage/uncertified?org=DB-A&page=2").get_data(as_text=True)
    assert second.count('<th scope="row">') == total - app.config["PAGE_SIZE"] * 2
    found = client.get("/coverage/uncertified?org=DB-A&q=dang anh").get_data(as_text=True)
    assert found.count('<th scope="row">') == 1 and "Đặng Thị Ánh" in found
    assert 'href="/coverage?org=DB-A"' in found  # back to the dashboard, without the search
