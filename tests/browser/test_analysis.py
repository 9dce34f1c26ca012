"""A head opens "Phân tích", picks two dimensions and a date, compares with last year and
downloads the report pack, whose figures equal the breakdown's (issue 19, item 6)."""

import io
from datetime import date

from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import select

from trainer.coverage.yearly import Structure, year_on_year
from trainer.curriculum.models import CertificateLevel
from trainer.extensions import db
from trainer.org.models import OrgUnit

from .conftest import TABLET, check_accessibility, shot, sign_in

AS_OF = "2026-10-31"


def test_head_compares_with_last_year_and_downloads_the_pack(live_app, open_page):
    page = open_page(TABLET)
    sign_in(page, "manager@demo.trainer.vn")
    page.goto("/coverage")
    page.get_by_role("link", name="Phân tích", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Phân tích")
    page.select_option("#by", "school_level")
    page.select_option("#by2", "ethnic_minority")
    page.fill("#as_of", AS_OF)
    page.select_option("#compare", "date")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("table.breakdown thead")).to_contain_text("Thay đổi, điểm phần trăm")
    expect(page.locator("#by2")).to_have_value("ethnic_minority")
    expect(page.locator("table.breakdown tfoot")).to_contain_text("%")
    expect(page.locator("svg[aria-labelledby=levels-title] rect[data-level]").first).to_be_visible()
    check_accessibility(page)
    shot(page, "analysis")
    scope_code = page.locator("form[role=search] input[name=org]").input_value()
    page.get_by_role("button", name="Bộ báo cáo (XLSX)").click()
    page.wait_for_url("**/jobs/*")
    download_link = page.get_by_role("link", name="Tải về report-")
    expect(download_link).to_be_visible(timeout=120000)
    with page.expect_download() as info:
        download_link.click()
    book = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    rows = [
        r for r in book["Phân tích"].iter_rows(min_row=2, values_only=True) if r[0] == "Cấp học"
    ]
    with live_app.app_context():
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == scope_code))
        basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
        _then, expected = year_on_year(
            unit, basic, date.fromisoformat(AS_OF), ["school_level"], Structure.DATE
        )
    assert [r[2:5] for r in rows] == [
        (e["staff_total"], e["certified"], e["percent"]) for e in expected
    ]
    assert [r[5:8] for r in rows] == [
        (e["last_year_staff_total"], e["last_year_certified"], e["last_year_percent"])
        for e in expected
    ]
