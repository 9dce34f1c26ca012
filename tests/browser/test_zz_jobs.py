"""A province-wide bulk issue in the browser: the bar moves, a reload finds the job again,
and another job is cancelled."""

from datetime import date

from sqlalchemy import select

from trainer.curriculum import services as curriculum
from trainer.curriculum.models import Module
from trainer.extensions import db
from trainer.org.models import OrgUnit, Staff

from .conftest import TABLET, shot, sign_in

BASIC = [f"IU0{i}" for i in range(1, 7)]


def add_eligible_school(app, count):
    """A school of ``count`` teachers who passed every basic module (none certified yet)."""
    from ..factories import make_unit

    with app.app_context():
        root = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB"))
        school = make_unit("DB-JOBS", "Trường Thử Việc Nền", "school", root)
        modules = [db.session.scalar(select(Module).where(Module.code == c)) for c in BASIC]
        for i in range(count):
            person = Staff(
                staff_code=f"JOB{i:04d}",
                full_name=f"Lò Văn Nền {i}",
                org_unit=school,
                position="teacher",
                status="active",
            )
            db.session.add(person)
            db.session.flush()
            for module in modules:
                curriculum.record_result(person, module, 75, date(2026, 3, 2))
        db.session.commit()


def test_bulk_issue_job_with_live_progress(live_app, open_page):
    add_eligible_school(live_app, 250)
    page = open_page(TABLET)
    sign_in(page, "admin@demo.trainer.vn")
    page.goto("/certificates/bulk?org=DB-JOBS&level=basic")
    page.click("button.primary:has-text('Cấp')")
    page.wait_for_url("**/jobs/*")
    job_url = page.url
    # the bar moves without a reload: some value strictly between 0 and 100 is shown
    page.wait_for_function(
        """() => {
        const bar = document.querySelector('.bar');
        const v = bar && Number(bar.getAttribute('aria-valuenow'));
        return v > 0 && v < 100;
    }""",
        timeout=60000,
    )
    shot(page, "jobs-1-progress")
    page.reload()  # a dropped connection or a closed tab: the job is still there
    assert page.url == job_url
    assert page.locator(".job-state").count() == 1
    page.wait_for_selector(".job-outcome", timeout=120000)
    outcome = page.locator(".job-outcome").inner_text()
    assert "Đã cấp" in outcome and "DB-" in outcome
    shot(page, "jobs-2-done")

    # a second job, cancelled: print every basic certificate of the province
    page.goto("/certificates/bulk?org=DB-JOBS&level=basic")
    page.get_by_role("link", name="In tất cả (một PDF)").click()
    page.wait_for_url("**/jobs/*")
    if page.locator("#job-cancel").count():
        page.click("#job-cancel button")
        page.wait_for_load_state()
        status = page.locator("[data-field=status]").inner_text()
        assert status in ("Đã huỷ", "Đang chạy", "Xong") or "huỷ" in page.content()
    page.goto("/jobs")
    listing = page.content()
    assert "Cấp chứng chỉ hàng loạt" in listing and "Chứng chỉ của một đơn vị" in listing
