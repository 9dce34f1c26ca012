"""The Done-when of issue 17 in the browser: a province-wide bulk issue whose bar moves
without a reload, a reload in the middle that finds the job still running, and another job
cancelled. (Named zz: it issues to the whole demo province, so it runs after the others.)

The worker runs in the live server's process; rendering is paced here (a pause per
certificate, on top of the real rendering, by a small batch) so that the job lasts long
enough on any machine for a person, or this test, to watch it and cancel one."""

import re
import time
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from trainer.curriculum import services as curriculum
from trainer.curriculum.models import Module
from trainer.extensions import db
from trainer.org.models import OrgUnit, Staff

from .conftest import TABLET, shot, sign_in

BASIC = [f"IU0{i}" for i in range(1, 7)]
PACE_S = 0.05  # per certificate: 250 take at least 12 s
BAR_VALUE = "Number(document.querySelector('#job .bar').getAttribute('aria-valuenow'))"


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


@pytest.fixture
def paced_rendering(live_app, monkeypatch):
    """Every certificate's step of rendering takes at least ``PACE_S`` more, in batches of
    ten, so that progress is reported often and the job lasts."""
    from trainer.certificates import request_helpers

    real = request_helpers.render_stored

    def paced(certs, progress=None):
        def step(count=1):
            time.sleep(PACE_S * count)
            progress(count)

        return real(certs, progress=step if progress is not None else None)

    monkeypatch.setattr(request_helpers, "render_stored", paced)
    monkeypatch.setitem(live_app.config, "CERTIFICATE_RENDER_BATCH", 10)


def bar_value(page):
    return page.evaluate(BAR_VALUE)


def wait_bar_above(page, value, timeout=60000):
    """Wait (without reloading) until the bar shows more than ``value`` percent, and less
    than 100: the job is still running."""
    page.wait_for_function(
        f"() => {{ const v = {BAR_VALUE}; return v > {value} && v < 100; }}", timeout=timeout
    )
    return bar_value(page)


def test_province_bulk_issue_with_live_progress_reload_and_cancel(
    live_app, open_page, paced_rendering
):
    add_eligible_school(live_app, 250)
    page = open_page(TABLET)
    sign_in(page, "admin@demo.trainer.vn")
    page.goto("/certificates/bulk?org=DB&level=basic")  # the whole demo province
    page.once("dialog", lambda dialog: dialog.accept())  # "Issue the certificates…?"
    page.click("button.primary:has-text('Cấp')")
    expect(page).to_have_url(re.compile(r"/jobs/\d+$"))
    job_url = page.url
    expect(page.locator("#job")).to_have_attribute("data-final", "false")

    # the bar moves without a reload: two values strictly between 0 and 100, increasing
    first = wait_bar_above(page, 0)
    second = wait_bar_above(page, first)
    assert 0 < first < second < 100
    expect(page.locator("[data-field=stage]")).to_contain_text("đang in PDF")  # and its stage
    shot(page, "jobs-1-progress")

    page.reload()  # a dropped connection or a closed tab: the job is still there, running
    expect(page).to_have_url(job_url)
    expect(page.locator(".job-state")).to_have_count(1)
    expect(page.locator("#job")).to_have_attribute("data-final", "false")
    expect(page.locator("#job-cancel")).to_be_visible()
    # the reloaded page starts where the job stands (drawn by the server), then follows it
    expect(page.locator("#job .bar")).not_to_have_attribute("aria-valuenow", "0")
    wait_bar_above(page, bar_value(page))

    outcome = page.locator(".job-outcome")
    expect(outcome).to_be_visible(timeout=180000)  # the script reloads the page at the end
    expect(outcome).to_contain_text("Đã cấp")
    expect(outcome.locator("a[href^='/certificates/DB-']").first).to_be_visible()
    expect(page.locator("[data-field=status]")).to_have_text("Xong")
    shot(page, "jobs-2-done")

    # another job, cancelled while it runs: the school's certificates in one PDF
    page.goto("/certificates/bulk?org=DB-JOBS&level=basic")
    page.get_by_role("button", name="In tất cả (một PDF)").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+$"))
    assert page.url != job_url
    cancel_url = page.url
    page.locator("#job-cancel button").click()
    expect(page).to_have_url(cancel_url)
    expect(page.locator("[data-field=status]")).to_have_text("Đã hủy", timeout=30000)
    expect(page.locator(".job-outcome")).to_contain_text("Thử lại")
    expect(page.locator(".job-outcome a[href$='/file']")).to_have_count(0)
    shot(page, "jobs-3-cancelled")

    page.goto("/jobs")
    rows = page.locator("main")
    expect(rows).to_contain_text("Cấp chứng chỉ hàng loạt")
    expect(rows).to_contain_text("Chứng chỉ của một đơn vị")
    expect(rows).to_contain_text("Đã hủy")
