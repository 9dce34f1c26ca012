"""The review list of issue 20 in a real browser: lists as cards without sideways scrolling on
a phone, the phone's chart, filters folded (with and without JavaScript), the admin's menu on
one line on a laptop, the analysis selects whole on a tablet, the session page's actions and
the calendar address's copy button."""

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, check_accessibility, shot, sign_in

LAPTOP = {"width": 1366, "height": 900}
PORTRAIT = {"width": 768, "height": 1024}  # a tablet held upright
ADMIN = "admin@demo.trainer.vn"
MANAGER = "manager@demo.trainer.vn"
TRAINER = "trainer@demo.trainer.vn"


def teacher_identifier(live_app):
    from .test_look import teacher_identifier as identifier

    return identifier(live_app)


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize(
    "who, path, name",
    [
        (TRAINER, "/sessions?when=all", "sessions"),
        (ADMIN, "/staff", "staff"),
        (MANAGER, "/coverage", "coverage"),
    ],
)
def test_lists_are_labelled_cards_on_a_phone_without_sideways_scrolling(
    live_app, open_page, who, path, name
):
    page = open_page(PHONE)
    sign_in(page, who)
    page.goto(path)
    table = page.locator("table.stack").first
    expect(table).to_be_visible()
    expect(table.locator("thead")).to_have_count(1)
    row = table.locator("tbody tr").first
    expect(row).to_be_visible()
    assert page_width(page) <= 390
    # the table's head is out of sight; each row is a card whose cells say what they are
    head_box = table.locator("thead").bounding_box()
    assert head_box is None or head_box["height"] <= 1
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    labelled = row.locator("td[data-label]").first
    label = labelled.evaluate("el => getComputedStyle(el, '::before').content")
    assert labelled.get_attribute("data-label") in label
    title = row.locator("td.card-head")
    assert title.bounding_box()["y"] <= labelled.bounding_box()["y"]  # the card's title first
    # the filters are folded: the first screen shows results, not seven fields
    expect(page.locator("#filters > summary")).to_be_visible()
    expect(page.locator("#filters form")).to_be_hidden()
    if name != "coverage":  # (the dashboard's headline comes before its table)
        assert row.bounding_box()["y"] < PHONE["height"]
    check_accessibility(page)
    shot(page, f"phone-layout-{name}")


def test_the_dashboard_draws_its_bars_for_a_phone(live_app, open_page):
    page = open_page(PHONE)
    sign_in(page, MANAGER)
    page.goto("/coverage")
    narrow = page.locator("svg.chart-narrow").first
    expect(narrow).to_be_visible()
    expect(page.locator("svg.chart-wide").first).to_be_hidden()
    box = narrow.bounding_box()
    assert box["width"] <= 390
    # its text at a readable size: 16 px drawn on a 360-wide picture, shown about 1:1
    ratio = box["width"] / 360
    assert 16 * ratio >= 13
    expect(page.locator(".sort-links")).to_be_visible()
    assert page_width(page) <= 390
    wide = open_page(LAPTOP)
    sign_in(wide, MANAGER)
    wide.goto("/coverage")
    expect(wide.locator("svg.chart-wide").first).to_be_visible()
    expect(wide.locator("svg.chart-narrow").first).to_be_hidden()
    expect(wide.locator(".sort-links")).to_be_hidden()


def test_filters_fold_on_a_phone_open_on_a_laptop_and_count_what_is_in_use(live_app, open_page):
    phone = open_page(PHONE)
    sign_in(phone, ADMIN)
    phone.goto("/staff")
    summary = phone.locator("#filters > summary")
    expect(summary).to_contain_text("Bộ lọc")
    assert summary.bounding_box()["height"] >= 44
    summary.click()
    expect(phone.locator("#filters input[name=q]")).to_be_visible()
    phone.locator("#filters input[name=q]").fill("trang")
    phone.locator("#filters button[type=submit]").click()
    expect(phone.locator("#filters > summary .filter-count")).to_have_text("1 đang dùng")
    expect(phone.locator("#filters input[name=q]")).to_be_visible()  # in use: left open
    check_accessibility(phone)

    laptop = open_page(LAPTOP)
    sign_in(laptop, ADMIN)
    laptop.goto("/staff?reset=1")
    expect(laptop.locator("#filters input[name=q]")).to_be_visible()  # room for it: open
    expect(laptop.locator("#filters .filter-count")).to_have_count(0)


def test_without_javascript_the_folded_filters_still_open(live_app, open_page):
    page = open_page(PHONE, java_script_enabled=False)
    sign_in(page, TRAINER)
    page.goto("/sessions?reset=1")
    expect(page.locator("#filters form")).to_be_hidden()
    page.locator("#filters > summary").click()
    expect(page.locator("#filters select[name=status]")).to_be_visible()


def test_the_admins_laptop_menu_is_one_line_with_a_group(live_app, open_page):
    page = open_page(LAPTOP, has_touch=True)
    sign_in(page, ADMIN)
    page.goto("/home")
    row = page.locator(
        ".mainnav > a, .mainnav > details > summary, .usernav > details > summary, "
        ".usernav > .logout-form button"
    )
    expect(row.first).to_be_visible()
    tops = set()
    for index in range(row.count()):
        box = row.nth(index).bounding_box()
        assert box is not None and box["height"] >= 44, row.nth(index).inner_text()
        tops.add(round(box["y"]))
    assert len(tops) == 1, tops  # one line
    assert page.locator("header.topbar").bounding_box()["height"] <= 64
    audit = page.locator("#admin-menu a[href='/admin/audit']")
    expect(audit).to_be_hidden()
    page.locator("#admin-menu > summary").click()
    expect(audit).to_be_visible()
    assert audit.bounding_box()["height"] >= 44
    check_accessibility(page)
    shot(page, "phone-layout-admin-menu")
    page.keyboard.press("Escape")
    expect(audit).to_be_hidden()
    page.locator("#account-menu > summary").click()
    expect(page.locator("#account-menu .who")).to_be_visible()
    page.locator("h1").first.click()  # a click elsewhere closes it
    expect(page.locator("#account-menu .who")).to_be_hidden()
    page.locator("#admin-menu > summary").click()
    audit.click()
    expect(page.locator("h1")).to_have_text("Nhật ký")


def test_on_a_phone_the_groups_are_plain_rows_of_the_menu(live_app, open_page):
    page = open_page(PHONE)
    sign_in(page, ADMIN)
    page.locator("summary.menu-button").click()
    audit = page.locator(".mainnav a[href='/admin/audit']")
    expect(audit).to_be_visible()  # no second tap on a group
    expect(page.locator("#admin-menu > summary")).to_be_hidden()
    expect(page.locator(".usernav .who")).to_be_visible()
    assert audit.bounding_box()["height"] >= 44 and audit.bounding_box()["width"] >= 300


@pytest.mark.parametrize("width", [768, 1024])
def test_the_analysis_selects_show_their_whole_text_on_a_tablet(live_app, open_page, width):
    page = open_page({"width": width, "height": 1024})
    sign_in(page, MANAGER)
    page.goto("/coverage/analysis?by=school_level&by2=ethnic_minority&compare=today")
    for select in ("#level", "#by", "#by2", "#compare"):
        field = page.locator(select)
        expect(field).to_be_visible()
        room, needed = field.evaluate(
            """el => {
                const style = getComputedStyle(el);
                const ctx = document.createElement('canvas').getContext('2d');
                ctx.font = style.font;
                const text = ctx.measureText(el.options[el.selectedIndex].text).width;
                return [el.clientWidth, text + parseFloat(style.paddingLeft) + 24];
            }"""
        )
        assert needed <= room, (select, room, needed)
    assert page_width(page) <= width
    check_accessibility(page)


def test_the_session_page_keeps_cancelling_with_the_quiet_actions(live_app, open_page):
    page = open_page(PHONE)
    sign_in(page, TRAINER)
    page.goto("/sessions")
    page.locator("table.stack td.card-head a").first.click()
    actions = page.locator(".session-actions")
    expect(actions.locator(".button.primary")).to_be_visible()
    cancel = actions.locator("button", has_text="Hủy buổi học")
    expect(cancel).to_be_visible()
    primary = actions.locator(".button.primary")
    styles = [
        element.evaluate("el => getComputedStyle(el).backgroundColor")
        for element in (primary, cancel)
    ]
    assert styles[0] != styles[1] and styles[1] in ("rgba(0, 0, 0, 0)", "transparent")
    for link in ("Nhập kết quả", "Sửa"):
        assert actions.get_by_role("link", name=link).bounding_box()["height"] >= 44
    assert page_width(page) <= 390
    check_accessibility(page)
    shot(page, "phone-layout-session-actions")

    laptop = open_page(LAPTOP)
    sign_in(laptop, TRAINER)
    laptop.goto(page.url)
    primary = laptop.locator(".session-actions .button.primary")
    cancel = laptop.locator(".session-actions button", has_text="Hủy buổi học")
    expect(cancel).to_be_visible()
    first, last = primary.bounding_box(), cancel.bounding_box()
    middle = lambda box: box["y"] + box["height"] / 2  # noqa: E731
    assert abs(middle(first) - middle(last)) < 4  # on the row of the other actions
    assert last["x"] > first["x"] + first["width"]


def test_the_teacher_copies_the_calendar_address_with_one_button(live_app, open_page):
    page = open_page(PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, teacher_identifier(live_app))
    page.goto("/home")
    address = page.locator(".calendar-feed code.feed")
    expect(address).to_be_hidden()  # folded away
    button = page.get_by_role("button", name="Sao chép địa chỉ lịch")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".copy-status")).to_contain_text("Đã sao chép địa chỉ")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("http") and copied.endswith(".ics")
    page.get_by_text("Xem địa chỉ").click()
    expect(address).to_have_text(copied)
    assert page_width(page) <= 390
    check_accessibility(page)


@pytest.mark.parametrize(
    "who, path", [(ADMIN, "/staff"), (MANAGER, "/coverage"), (TRAINER, "/sessions?when=all")]
)
def test_on_an_upright_tablet_the_widest_tables_are_cards_two_to_a_row(
    live_app, open_page, who, path
):
    page = open_page(PORTRAIT)
    sign_in(page, who)
    page.goto(path)
    rows = page.locator("table.stack-tablet tbody tr")
    expect(rows.first).to_be_visible()
    assert page_width(page) <= PORTRAIT["width"]
    if rows.count() > 1:
        first, second = rows.nth(0).bounding_box(), rows.nth(1).bounding_box()
        assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + first["width"]
    names = rows.first.locator("td.card-head a")
    assert names.bounding_box()["height"] < 40  # a name on one line, not a word a line
    if path == "/coverage":
        expect(page.locator("svg.chart-narrow").first).to_be_visible()
        select = page.locator("#level")
        room, needed = select.evaluate(
            """el => {
                const ctx = document.createElement('canvas').getContext('2d');
                ctx.font = getComputedStyle(el).font;
                const text = ctx.measureText(el.options[el.selectedIndex].text).width;
                return [el.clientWidth, text + 36];
            }"""
        )
        assert needed <= room
    check_accessibility(page)


def test_on_an_upright_tablet_the_menu_is_two_rows_for_a_head(live_app, open_page):
    page = open_page(PORTRAIT)
    sign_in(page, MANAGER)
    page.goto("/home")
    items = page.locator(".mainnav > a")
    expect(items.first).to_be_visible()
    tops = {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}
    assert len(tops) == 1, tops  # the menu's items one full row…
    who = page.locator("#account-menu > summary").bounding_box()
    brand = page.locator(".brand").bounding_box()
    assert abs(who["y"] - brand["y"]) < 4  # …under the product's name and who is signed in
    assert items.first.bounding_box()["x"] < brand["x"] + 8
    check_accessibility(page)


def test_on_a_phone_a_roster_row_is_the_person_then_four_marks_in_one_row(live_app, open_page):
    """The trainer's roster on a phone: the person's name and unit across the row, the four
    marks below it side by side (they wrapped to two lines beside a squeezed name, and the
    phone menu's style for the signed-in user's name leaked onto the roster's names)."""
    page = open_page(PHONE)
    sign_in(page, TRAINER)
    page.goto("/sessions")
    page.locator("table.stack td.card-head a").first.click()
    row = page.locator(".roster .person").first
    expect(row).to_be_visible()
    who, marks = row.locator(".who"), row.locator("button.mark")
    expect(marks).to_have_count(4)
    assert who.evaluate("el => getComputedStyle(el).display") == "block"
    row_box, who_box = row.bounding_box(), who.bounding_box()
    assert who_box["width"] >= row_box["width"] - 2
    tops = {round(marks.nth(i).bounding_box()["y"]) for i in range(4)}
    assert len(tops) == 1, tops  # one line
    assert min(marks.nth(i).bounding_box()["height"] for i in range(4)) >= 44
    assert marks.first.bounding_box()["y"] > who_box["y"]
    assert page_width(page) <= 390
    shot(page, "phone-layout-roster")
