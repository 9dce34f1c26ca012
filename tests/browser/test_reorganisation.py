"""An admin on a laptop loads a reorganisation file, previews it, applies it, sees the result
and undoes it (issue 15 item 2), in a real browser. The undo restores the demo exactly, so
the other journeys on the same live demo are not affected."""

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from trainer.extensions import db
from trainer.org.models import OrgUnit, Staff

from .conftest import check_accessibility, shot, sign_in

LAPTOP = {"width": 1366, "height": 768}
ON = "01/09/2027"  # the first day of the merged school (a future school year)


def two_schools_of_one_commune():
    """(closing school, receiving school, active staff of the closing one) in the demo."""
    schools = db.session.scalars(
        select(OrgUnit)
        .where(OrgUnit.kind == "school", OrgUnit.valid_to.is_(None))
        .order_by(OrgUnit.parent_id, OrgUnit.code)
    ).all()
    for first, second in zip(schools, schools[1:], strict=False):
        if first.parent_id == second.parent_id:
            staff = db.session.scalar(
                select(func.count())
                .select_from(Staff)
                .where(Staff.org_unit_id == first.id, Staff.status == "active")
            )
            if staff:
                return first, second, staff
    raise AssertionError("the demo has no commune with two schools")


def test_admin_previews_applies_and_undoes_a_reorganisation(live_app, open_page, tmp_path):
    with live_app.app_context():
        closing, receiving, staff = two_schools_of_one_commune()
        closing_code, receiving_code = closing.code, receiving.code
    upload = tmp_path / "sap-nhap-truong.csv"
    upload.write_text(
        f"code,action,on,to_code,name\n{closing_code},close,{ON},{receiving_code},\n",
        encoding="utf-8",
    )
    page = open_page(LAPTOP)
    sign_in(page, "admin@demo.trainer.vn")
    page.goto("/admin/reorganisations?lang=en")
    page.set_input_files("#file", str(upload))
    page.get_by_role("button", name="Check and preview").click()

    # the preview: the receiving school, the school and the staff coming in, what closes
    row = page.locator(f'tr[data-code="{receiving_code}"]')
    expect(row).to_contain_text(closing_code)
    expect(row.locator("td.num")).to_have_text(str(staff))
    expect(page.get_by_text(f"last day 31/08/2027, successor {receiving_code}")).to_be_visible()
    check_accessibility(page)
    shot(page, "admin-reorganisation-0-preview")

    page.get_by_role("button", name="Apply the reorganisation").click()
    expect(page.get_by_text("The reorganisation was applied.")).to_be_visible()
    applied = page.locator("li", has_text="sap-nhap-truong.csv")
    expect(applied.get_by_role("button", name="Undo")).to_be_visible()

    # the result: on the first day the closed school's page says where it went
    page.goto(f"/org/{closing_code}?as_of=2027-09-01")
    expect(page.get_by_text("Merged into")).to_be_visible()
    page.locator("p.not-in-force a").click()
    expect(page).to_have_url(re.compile(f"/org/{re.escape(receiving_code)}\\?as_of=2027-09-01"))
    shot(page, "admin-reorganisation-1-applied")

    page.goto("/admin/reorganisations")
    page.locator("li", has_text="sap-nhap-truong.csv").get_by_role("button", name="Undo").click()
    expect(page.get_by_text("The reorganisation was undone.")).to_be_visible()
    expect(page.locator("li", has_text="sap-nhap-truong.csv")).to_contain_text("undone")
    page.goto(f"/org/{closing_code}?as_of=2027-09-01")
    expect(page.get_by_role("heading", level=1)).to_contain_text(closing_code)
    expect(page.get_by_text("Merged into")).to_have_count(0)
    with live_app.app_context():
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == closing_code))
        assert unit.valid_to is None and unit.successor_code is None
