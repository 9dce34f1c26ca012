"""Three journeys in a real browser: an IT teacher on a tablet, a teacher on a phone, a head."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.certificates.models import Certificate
from trainer.certificates.services import IssueSettings, new_certificate, reserve_numbers
from trainer.curriculum.models import CertificateLevel, Module
from trainer.curriculum.services import record_result
from trainer.extensions import db
from trainer.org.models import Staff
from trainer.training.checkin import current_codes
from trainer.training.models import Enrollment, TrainingSession

from .conftest import PHONE, TABLET, check_accessibility, shot, sign_in

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def demo_user(role):
    return db.session.scalar(select(User).where(User.role == role).order_by(User.id))


def test_it_teacher_on_a_tablet(live_app, open_page):
    with live_app.app_context():
        trainer = demo_user("trainer").staff
        school = trainer.org_unit
        modules = {m.code: m for m in db.session.scalars(select(Module))}
        colleagues = db.session.scalars(
            select(Staff).where(
                Staff.org_unit_id == school.id, Staff.status == "active", Staff.id != trainer.id
            )
        ).all()
        for person in colleagues:  # IU01–IU05 passed earlier: IU06 today completes basic
            for code in ("IU01", "IU02", "IU03", "IU04", "IU05"):
                record_result(person, modules[code], 75, date(2026, 1, 15))
        db.session.commit()
        school_code, school_name = school.code, school.name
    yesterday = (datetime.now(LOCAL) - timedelta(days=1)).date()

    page = open_page(TABLET)
    sign_in(page, "trainer@demo.trainer.vn")
    page.get_by_role("link", name="Lên lịch buổi học", exact=True).first.click()
    page.select_option("#module", label="IU06 · Sử dụng Internet cơ bản")
    page.fill("#title", "Sử dụng Internet an toàn")
    page.fill("#venue", school_code)
    page.fill("#location", "Phòng tin học")
    page.fill("#day", yesterday.isoformat())
    page.fill("#start", "05:00")
    page.fill("#end", "06:00")
    page.fill("#capacity", "40")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    shot(page, "trainer-0-scheduled")
    expect(page.locator(".flash-success")).to_contain_text("Đã lên lịch 1 buổi học")
    shot(page, "trainer-1-session")

    page.fill("#school", school_code)
    page.get_by_role("button", name="Ghi danh cả trường").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã ghi danh")  # waits for the new page
    first = page.locator(".person").first
    first.locator("button.mark-late").click()  # one tap, sent in the background
    expect(first.locator("button.mark-late")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Tất cả có mặt").click()
    expect(page.locator("button.mark-present[aria-pressed=true]").first).to_be_visible()
    expect(page.locator("button.mark-late[aria-pressed=true]")).to_have_count(1)
    shot(page, "trainer-2-attendance")
    check_accessibility(page)

    page.get_by_role("link", name="Nhập kết quả").click()
    expect(page.locator("input[name^=score-]").first).to_be_visible()
    for field in page.locator("input[name^=score-]").all():
        field.fill("82")
    page.get_by_role("button", name="Lưu kết quả").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu")

    page.goto(f"/certificates/bulk?org={school_code}&level=basic")
    assert school_name in page.content()
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.click("button.primary:has-text('Cấp')")
    page.wait_for_selector(".job-outcome", timeout=60000)  # the job page follows the work
    assert questions and "không thể dùng lại" in questions[0]  # asked before issuing
    message = page.locator(".job-outcome").inner_text()
    issued = int(re.search(r"Đã cấp (\d+) chứng chỉ", message).group(1))
    assert issued >= 1
    shot(page, "trainer-3-certificates")
    page.goto(f"/certificates/bulk?org={school_code}&level=basic")
    page.get_by_role("button", name="In tất cả (một PDF)").click()
    page.wait_for_selector(".job-outcome", timeout=60000)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Tải về")).click()
    assert download.value.path().read_bytes().startswith(b"%PDF")


def test_teacher_on_a_phone(live_app, open_page):
    with live_app.app_context():
        teacher = demo_user("teacher").staff
        now = datetime.now(LOCAL)
        running = db.session.scalar(
            select(TrainingSession)
            .join(Enrollment)
            .where(
                Enrollment.staff_id == teacher.id,
                TrainingSession.starts_at <= now,
                TrainingSession.ends_at >= now,
            )
        )
        token = current_codes(running, live_app.config["SECRET_KEY"])[0]
        if not db.session.scalar(
            select(Certificate.id).where(
                Certificate.staff_id == teacher.id, Certificate.external.is_(False)
            )
        ):
            settings = IssueSettings()
            [number] = reserve_numbers(settings.prefix, date.today().year, 1)
            level = db.session.scalar(
                select(CertificateLevel).where(CertificateLevel.code == "basic")
            )
            db.session.add(
                new_certificate(
                    teacher,
                    level,
                    number,
                    issued_by=None,
                    issued_on=date.today(),
                    settings=settings,
                )
            )
        db.session.commit()
        staff_code, session_id = teacher.staff_code, running.id

    page = open_page(PHONE)
    page.goto(f"/checkin/{session_id}/{token}")
    assert "/login" in page.url  # the link asks the teacher to sign in first
    page.fill("#identifier", staff_code)
    page.fill("#password", "trainer-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator(".flash")).to_contain_text("Đã điểm danh")
    shot(page, "teacher-1-checkin")

    page.goto("/home")
    page.get_by_role("link", name="Hồ sơ của tôi").click()
    expect(page.locator(".level-progress .bar").nth(1)).to_be_attached()
    shot(page, "teacher-2-progress")
    check_accessibility(page)

    page.get_by_text("Danh mục").click()  # on a phone the menu is one button (issue 20)
    page.locator(".mainnav").get_by_role("link", name="Chứng chỉ của tôi").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải PDF").first.click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    shot(page, "teacher-3-certificates")


def test_head_on_the_dashboard(live_app, open_page):
    with live_app.app_context():
        district = demo_user("manager").org_unit
        district_name = district.name
    page = open_page({"width": 1366, "height": 900})
    sign_in(page, "manager@demo.trainer.vn")
    page.get_by_role("link", name="Tỷ lệ đạt chuẩn", exact=True).first.click()
    expect(page.locator("h1")).to_have_text(f"Tỷ lệ đạt chuẩn: {district_name}")
    assert page.locator(".headline .big").inner_text().endswith("%")
    check_accessibility(page)
    shot(page, "head-1-dashboard")
    # the demo manager's unit is a commune of 1 July 2025: its rows are its schools
    page.locator("table.sortable tbody a", has_text="Trường").first.click()  # a school
    expect(page.locator(".breadcrumb")).to_contain_text(district_name)
    shot(page, "head-2-school")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert download.value.path().read_bytes()[:2] == b"PK"
    page.get_by_role("link", name="Ai còn thiếu gì").click()
    expect(page.locator("h1")).to_contain_text("Ai còn thiếu gì")
    shot(page, "head-3-uncertified")


PAGES = [
    ("trainer@demo.trainer.vn", "/home"),
    ("trainer@demo.trainer.vn", "/sessions"),
    ("manager@demo.trainer.vn", "/coverage"),
    ("manager@demo.trainer.vn", "/staff"),
    ("admin@demo.trainer.vn", "/home"),
    (None, "/login"),
]


@pytest.mark.parametrize("identifier, path", PAGES)
def test_first_load_is_light_and_local(live_app, open_page, identifier, path):
    """Every byte of a first visit (HTML, CSS, JS, images, fonts) stays under 150 kB."""
    page = open_page(TABLET)
    if identifier:
        sign_in(page, identifier)
    fresh = page.context.browser.new_context(
        viewport=TABLET, storage_state=page.context.storage_state()
    )
    sizes, hosts = [], set()

    def record(response):
        hosts.add(response.url.split("/")[2])
        try:
            sizes.append(len(response.body()))
        except Exception:  # redirects have no body
            sizes.append(0)

    other = fresh.new_page()
    other.on("response", record)
    other.goto(live_app.config["LIVE_URL"] + path)
    other.wait_for_load_state("networkidle")
    fresh.close()
    assert hosts == {live_app.config["LIVE_URL"].split("/")[2]}  # nothing from another host
    assert 0 < sum(sizes) < 150_000, f"{path}: {sum(sizes)} bytes"
