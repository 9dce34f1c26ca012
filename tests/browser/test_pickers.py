"""The unit and staff pickers (issue 20, item 3) in a real browser: a venue found by part of
its name typed without accents, a trainer picked with the keyboard, a phone's tap, and the
plain code field without JavaScript."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.extensions import db
from trainer.org.text import fold

from .conftest import PHONE, TABLET, check_accessibility, shot, sign_in

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
TRAINER = "trainer@demo.trainer.vn"


def trainer_places(live_app):
    """(school code, school name, trainer's name, trainer's staff code) of the demo trainer."""
    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.role == "trainer").order_by(User.id))
        school = user.staff.org_unit
        return school.code, school.name, user.staff.full_name, user.staff.staff_code


def unaccented_end(name, words=2):
    """The last words of a name as someone types them in a hurry: no accents, lower case."""
    return " ".join(fold(name).split()[-words:])


def schedule_form(page, title, days_ahead):
    day = (datetime.now(LOCAL) + timedelta(days=days_ahead)).date()
    page.goto("/sessions/new")
    page.select_option("#module", label="IU06 · Sử dụng Internet cơ bản")
    page.fill("#title", title)
    page.fill("#location", "Phòng tin học")
    page.fill("#day", day.isoformat())
    page.fill("#start", "14:00")
    page.fill("#end", "15:00")


def test_venue_picked_by_part_of_its_name_without_accents(live_app, open_page):
    code, name, _trainer, _staff_code = trainer_places(live_app)
    page = open_page(TABLET)
    sign_in(page, TRAINER)
    schedule_form(page, "Chọn nơi học bằng tên", days_ahead=45)

    venue = page.locator("#venue")
    expect(venue).to_have_attribute("role", "combobox")
    own = venue.input_value()  # it starts with the trainer's own unit, named under the field
    assert own
    expect(page.locator(".picker:has(#venue) .picker-chosen")).to_contain_text(own + " · ")
    venue.fill("")
    venue.press_sequentially(unaccented_end(name), delay=30)
    option = page.locator("[role=option]", has_text=name).first
    expect(option).to_be_visible()
    expect(option).to_contain_text(code)  # the code and the path above it
    expect(option).to_contain_text("›")
    expect(venue).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".picker [role=status]")).to_contain_text("gợi ý")
    check_accessibility(page)  # with the suggestions open
    shot(page, "pickers-venue-suggestions")

    option.click()
    expect(venue).to_have_value(code)
    expect(venue).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".picker:has(#venue) .picker-chosen")).to_contain_text(name)
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_contain_text("Chọn nơi học bằng tên")
    expect(page.locator("main")).to_contain_text(name)
    check_accessibility(page)


def test_trainer_filter_picked_with_the_keyboard(live_app, open_page):
    _code, _name, trainer_name, staff_code = trainer_places(live_app)
    page = open_page(TABLET)
    sign_in(page, TRAINER)
    page.goto("/sessions?when=all")
    field = page.locator("#trainer")
    field.fill("")
    field.press_sequentially(fold(trainer_name), delay=20)
    option = page.locator("[role=option]", has_text=staff_code).first
    expect(option).to_be_visible()
    for _step in range(page.locator("[role=option]").count()):
        field.press("ArrowDown")
        if option.get_attribute("aria-selected") == "true":
            break
    expect(option).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    field.press("Enter")  # picks; does not send the form yet
    expect(field).to_have_value(staff_code)
    expect(page).to_have_url(re.compile(r"/sessions\?when=all$"))
    field.press("Enter")  # the list is closed: Enter sends the filter
    expect(page).to_have_url(re.compile(rf"trainer={staff_code}"))
    expect(page.locator("#trainer")).to_have_value(staff_code)
    check_accessibility(page)

    page.locator("#trainer").fill("")
    page.locator("#trainer").press_sequentially("zzqx", delay=20)
    expect(page.locator(".picker:has(#trainer) [role=status]")).to_contain_text("Không tìm thấy")
    page.locator("#trainer").press("Escape")


def test_on_a_phone_a_tap_picks_the_school_to_enrol(live_app, open_page):
    code, name, _trainer, _staff_code = trainer_places(live_app)
    page = open_page(PHONE, has_touch=True, is_mobile=True)
    sign_in(page, TRAINER)
    page.goto("/certificates/bulk")
    field = page.locator("#org")
    field.fill("")
    field.press_sequentially(unaccented_end(name), delay=30)
    option = page.locator("[role=option]", has_text=name).first
    expect(option).to_be_visible()
    box = option.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    shot(page, "pickers-phone-suggestions")
    option.tap()
    expect(field).to_have_value(code)
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("section.card h2")).to_contain_text(name)
    check_accessibility(page)


def test_without_javascript_the_code_typed_in_the_field_is_sent(live_app, open_page):
    code, name, _trainer, _staff_code = trainer_places(live_app)
    page = open_page(TABLET, java_script_enabled=False)
    sign_in(page, TRAINER)
    schedule_form(page, "Nơi học gõ bằng mã", days_ahead=46)
    venue = page.locator("#venue")
    expect(venue).not_to_have_attribute("role", "combobox")  # a plain field
    venue.fill(code)
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("h1")).to_contain_text("Nơi học gõ bằng mã")
    expect(page.locator("main")).to_contain_text(name)
    # (no axe here: page scripts, axe's included, do not run with JavaScript off)
