"""Look and feel (issue 20, items 5 and 10): the phone menu, the icon sprite."""

from playwright.sync_api import expect

from .conftest import PHONE, TABLET, check_accessibility, shot, sign_in

TEACHER = "teacher@demo.trainer.vn"


def teacher_identifier(live_app):
    from sqlalchemy import select

    from trainer.accounts.models import User
    from trainer.extensions import db

    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.role == "teacher").order_by(User.id))
        return user.email or user.staff.staff_code


def test_the_phone_menu_is_one_button_that_opens_a_list_of_large_targets(live_app, open_page):
    page = open_page(PHONE)
    sign_in(page, teacher_identifier(live_app))
    header = page.locator("header.topbar")
    menu_button = page.locator("summary.menu-button")
    expect(menu_button).to_be_visible()
    expect(page.locator(".mainnav")).to_be_hidden()  # folded away
    assert header.bounding_box()["height"] <= 64
    assert menu_button.bounding_box()["height"] >= 44
    check_accessibility(page)

    menu_button.click()
    links = page.locator(".mainnav a, .usernav a, .usernav button")
    expect(links.first).to_be_visible()
    names = page.locator(".mainnav a").all_inner_texts()
    # a teacher's own items only: no units, staff, coverage or imports
    assert len(names) == 4, names
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box["height"] >= 44, (links.nth(index).inner_text(), box)
        assert box["width"] >= 300  # the whole row is the target
    expect(page.locator(".usernav .who")).to_be_visible()  # who is signed in, in the menu
    expect(page.locator(".usernav .logout-form button")).to_be_visible()
    check_accessibility(page)
    shot(page, "look-phone-menu-open")

    page.keyboard.press("Escape")
    expect(page.locator(".mainnav")).to_be_hidden()


def test_on_a_tablet_the_menu_is_a_row_with_icons(live_app, open_page):
    page = open_page(TABLET)
    sign_in(page, "admin@demo.trainer.vn")
    expect(page.locator("summary.menu-button")).to_be_hidden()
    # the row's items: links, and the Administration group's button (its links drop down)
    links = page.locator(".mainnav > a, .mainnav > details > summary")
    expect(links.first).to_be_visible()
    shot(page, "look-tablet-menu")
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) <= 2, tops  # a row (wrapping once at most for an admin's many items)
    for index in range(links.count()):
        assert links.nth(index).bounding_box()["height"] >= 44
    # every menu item has its icon, drawn from the local sprite
    assert page.locator(".mainnav a svg.icon use").count() == page.locator(".mainnav a").count()
    assert page.locator(".mainnav > a > svg.icon:first-child").count() == links.count() - 1
    sprite = page.request.get(
        page.locator(".mainnav a svg.icon use").first.get_attribute("href").split("#")[0]
    )
    assert sprite.ok and b'<symbol id="house"' in sprite.body()
    width = page.evaluate(
        "() => document.querySelector('.mainnav a svg.icon').getBoundingClientRect().width"
    )
    assert 12 <= width <= 24  # drawn at text size, not the SVG default of 300 × 150
    check_accessibility(page)


def test_a_file_picker_is_a_button_in_the_pages_language_with_the_files_name(
    live_app, open_page, tmp_path
):
    page = open_page(TABLET)
    sign_in(page, "admin@demo.trainer.vn")
    page.goto("/imports")
    picker = page.locator(".filepick").first
    button = picker.locator("label.button")
    expect(button).to_have_text("Chọn tệp")
    expect(picker.locator(".filepick-name")).to_have_text("Chưa chọn tệp nào")
    assert button.bounding_box()["height"] >= 44
    sample = tmp_path / "can-bo-truong.csv"
    sample.write_text("staff_code,full_name\n", encoding="utf-8")
    picker.locator("input[type=file]").set_input_files(str(sample))
    expect(picker.locator(".filepick-name")).to_have_text("can-bo-truong.csv")
    check_accessibility(page)
    shot(page, "look-file-picker")


def test_dates_read_day_first_in_an_english_browser(live_app, open_page):
    page = open_page(TABLET, locale="en-US")
    sign_in(page, "trainer@demo.trainer.vn")
    page.goto("/sessions?when=all&date_from=2030-03-04")
    field = page.locator("#date_from")
    expect(field).to_have_value("04/03/2030")  # not 03/04/2030, the browser's own order
    assert field.get_attribute("type") == "text"
    assert field.get_attribute("inputmode") == "numeric"
    field.fill("05/03/2030")
    page.locator("form.filters button[type=submit]").first.click()
    expect(page.locator("#date_from")).to_have_value("05/03/2030")
    check_accessibility(page)


def test_without_javascript_the_menu_is_a_row_on_a_tablet_and_opens_on_a_phone(live_app, open_page):
    wide = open_page(TABLET, java_script_enabled=False)
    sign_in(wide, "trainer@demo.trainer.vn")
    expect(wide.locator(".mainnav a").first).to_be_visible()
    expect(wide.locator("summary.menu-button")).to_be_hidden()
    phone = open_page(PHONE, java_script_enabled=False)
    sign_in(phone, "trainer@demo.trainer.vn")
    expect(phone.locator(".mainnav a").first).to_be_hidden()
    phone.locator("summary.menu-button").click()
    expect(phone.locator(".mainnav a").first).to_be_visible()


def test_time_fields_look_like_the_other_fields(live_app, open_page):
    """The scheduling form's start and end times are as wide and tall as its other fields
    (they were left small and unstyled beside them)."""
    page = open_page(TABLET)
    sign_in(page, "trainer@demo.trainer.vn")
    page.goto("/sessions/new")
    start, capacity = page.locator("#start"), page.locator("#capacity")
    expect(start).to_be_visible()
    time_box, number_box = start.bounding_box(), capacity.bounding_box()
    assert abs(time_box["height"] - number_box["height"]) <= 1, (time_box, number_box)
    parent = page.locator(".field", has=start).first.bounding_box()
    assert time_box["width"] >= parent["width"] - 2, (time_box, parent)
