"""The review list of issue 20 in the HTML: lists as labelled cards, filters folded into one
disclosure, the phone's charts, the admin's grouped menu, the calendar address behind a
copy button, one primary action on the check-in page and the week view."""

import re

import pytest

from .. import factories


def stacked_rows(page):
    """The body rows of the page's first ``table.stack``; fails when there is none."""
    table = re.search(r'<table class="[^"]*\bstack\b[^"]*">(.*?)</table>', page, re.S)
    assert table, "no table.stack"
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(1), re.S).group(1)
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)


def assert_labelled(row):
    """Every cell of a card is labelled, except the one that names the row (its title)."""
    cells = re.findall(r"<td([^>]*)>", row)
    assert len(cells) >= 4, row
    heads = [cell for cell in cells if "card-head" in cell]
    assert len(heads) == 1, cells
    for cell in cells:
        assert "card-head" in cell or "meter-cell" in cell or "data-label=" in cell, cell


def filter_box(page):
    found = re.search(r'<details class="filter-box card" id="filters"[^>]*>', page)
    assert found, "no filter disclosure"
    summary = re.search(r'<summary class="filter-summary">(.*?)</summary>', page, re.S).group(1)
    return found.group(0), summary


def test_staff_list_rows_are_labelled_cards_and_filters_fold(client, login_as, db, tree):
    factories.make_staff(tree["DB-A-S1"], "Lò Thị Anh", staff_code="P1")
    db.session.commit()
    login_as("admin")
    page = client.get("/staff").get_data(as_text=True)
    rows = stacked_rows(page)
    assert rows
    for row in rows:
        assert_labelled(row)
    assert 'data-label="Dân tộc"' in page and 'data-label="Mã cán bộ"' in page
    opening, summary = filter_box(page)
    assert " open" not in opening  # no filter in use: folded on a phone
    assert "Bộ lọc" in summary and "đang dùng" not in summary
    used = client.get("/staff?q=anh&position=teacher&certified=").get_data(as_text=True)
    opening, summary = filter_box(used)
    assert " open" in opening and "2 đang dùng" in summary  # the empty one is not counted
    assert 'role="search"' in used.split('id="filters"', 1)[1].split("</details>", 1)[0]


def test_session_list_rows_are_labelled_cards(client, login_as):
    login_as("trainer")
    page = client.get("/sessions?when=all&status=scheduled").get_data(as_text=True)
    assert '<table class="stack stack-tablet">' in page
    assert 'data-label="Trạng thái"' in page or "Không có buổi học nào" in page
    opening, summary = filter_box(page)
    assert " open" in opening and "1 đang dùng" in summary
    assert "when" not in summary  # the tab is not a filter


def test_session_rows_put_the_title_first_and_label_the_rest(app):
    from datetime import UTC, datetime
    from types import SimpleNamespace

    session = SimpleNamespace(
        id=7,
        title="Sử dụng Internet",
        starts_at=datetime(2026, 12, 1, 1, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 3, 0, tzinfo=UTC),
        module=SimpleNamespace(code="IU06"),
        org_unit=SimpleNamespace(name="Trường Tiểu học Na Son"),
        location="Phòng máy",
        trainer=SimpleNamespace(full_name="Bùi Thị Hương"),
        enrolled_count=3,
        capacity=30,
        status="scheduled",
    )
    with app.test_request_context("/?lang=vi"):
        from flask import render_template

        row = render_template("training/_session_row.html", s=session)
    assert_labelled(row)
    assert re.search(r'<td class="card-head"><a href="/sessions/7">Sử dụng Internet</a>', row)
    assert 'data-label="Giảng viên">Bùi Thị Hương' in row


def test_dashboard_tables_are_cards_with_phone_charts_and_sorting(client, login_as, db, tree):
    from .test_look_fixtures import certify_some

    certify_some(db, tree)
    login_as("manager")
    page = client.get("/coverage").get_data(as_text=True)
    rows = stacked_rows(page)
    assert rows
    for row in rows:
        assert_labelled(row)
    assert 'class="chart chart-wide"' in page and 'class="chart chart-narrow"' in page
    narrow = re.search(r'<svg [^>]*class="chart chart-narrow" viewBox="0 0 (\d+) ', page)
    assert int(narrow.group(1)) <= 390  # drawn at a phone's size: its 14 px text stays 14 px
    assert page.count('id="bars-title"') == 1 and page.count('id="bars-narrow-title"') == 1
    sort = re.search(r'<p class="sort-links only-narrow">(.*?)</p>', page, re.S).group(1)
    assert "sort=percent" in sort and "sort=gap" in sort  # the hidden head's sorting, as links
    opening, _summary = filter_box(page)
    assert " open" not in opening  # the unit drilled into is not a filter


def test_bar_chart_for_a_phone_puts_names_above_full_width_bars(app):
    from types import SimpleNamespace

    from trainer.coverage.charts import bar_chart_narrow

    rows = [
        SimpleNamespace(name="Trường <b>Tiểu học</b> Na Son", percent=82.5, target_percent=90),
        SimpleNamespace(
            name="Trường Phổ thông Dân tộc Bán trú THCS Huổi Mí xã Mường",
            percent=None,
            target_percent=None,
        ),
    ]
    with app.test_request_context("/?lang=vi"):
        svg = str(bar_chart_narrow(rows))
    assert svg.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-narrow" viewBox="0 0 360 '
    )
    names = re.findall(r'<text x="0" [^>]*>([^<]*)</text>', svg)
    assert names[0] == "Trường &lt;b&gt;Tiểu học&lt;/b&gt; Na Son"  # escaped, on its own line
    assert names[1].endswith("…") and len(names[1]) <= 44  # shortened, not cut mid-screen
    assert "82,5 %</text>" in svg and "–</text>" in svg
    assert 'fill="#b35c00"' in svg  # below its target


def test_admin_menu_groups_the_secondary_pages(client, login_as):
    login_as("admin")
    page = client.get("/home").get_data(as_text=True)
    nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S).group(0)
    group = re.search(r'<details class="submenu" id="admin-menu">(.*?)</details>', nav, re.S)
    assert group and "Quản trị" in group.group(1)
    for path in ("/admin/audit", "/admin/users", "/imports", "/admin/modules"):
        assert f'href="{path}' in group.group(1), path
    top = re.sub(r'<details class="submenu".*?</details>', "", nav, flags=re.S)
    assert top.count("<a ") == 6  # home, sessions, certificates, units, staff, coverage
    account = re.search(
        r'<details class="submenu submenu-end" id="account-menu">(.*?)</details>', page, re.S
    )
    assert "/jobs" in account.group(1) and "English" in account.group(1)
    assert 'class="inline logout-form"' not in account.group(1)  # signing out stays one tap


def test_a_teachers_menu_has_no_administration_group(client, login_as):
    login_as("teacher")
    page = client.get("/home").get_data(as_text=True)
    assert 'id="admin-menu"' not in page and "Quản trị" not in page


def test_the_calendar_address_is_a_copy_button_with_the_address_folded(client, login_as):
    login_as("teacher")
    page = client.get("/home").get_data(as_text=True)
    feed = re.search(r'<section class="calendar-feed card">(.*?)</section>', page, re.S).group(1)
    url = re.search(r'<code class="feed">([^<]+)</code>', feed).group(1)
    button = re.search(r'<button type="button" class="copy-button" ([^>]*)>', feed).group(1)
    assert f'data-copy="{url}"' in button and " hidden" in button  # shown by its script
    assert "Sao chép địa chỉ lịch" in feed
    details = re.search(r'<details class="feed-address">(.*?)</details>', feed, re.S).group(1)
    assert "<summary>Xem địa chỉ</summary>" in details and url in details
    assert feed.count(url) == 2  # the button's data and the folded address, nowhere else
    assert "/static/js/copy.js" in page


@pytest.mark.parametrize(
    "role, path, primary",
    [("teacher", "/checkin", "Điểm danh"), ("trainer", "/sessions/week", "Lên lịch buổi học")],
)
def test_one_primary_action(client, login_as, role, path, primary):
    login_as(role)
    page = client.get(path).get_data(as_text=True)
    content = page.split('<main id="content">', 1)[1]
    found = re.findall(
        r'<(a|button)[^>]*class="[^"]*\bprimary\b[^"]*"[^>]*>(.*?)</\1>', content, re.S
    )
    assert len(found) == 1 and primary in found[0][1], found
