"""Look and feel in the HTML (issue 20, items 5 and 10): the folded menu, one primary action."""

import re

import pytest


def primaries(page):
    return re.findall(
        r'<(?:a|button)[^>]*class="(?:button )?primary"[^>]*>(.*?)</(?:a|button)>', page
    )


@pytest.mark.parametrize(
    "role, path, action",
    [
        ("trainer", "/home", "Lên lịch buổi học"),
        ("trainer", "/sessions", "Lên lịch buổi học"),
        ("teacher", "/home", "Điểm danh"),
    ],
)
def test_a_page_has_one_primary_action_with_its_icon(client, login_as, role, path, action):
    login_as(role)
    page = client.get(path).get_data(as_text=True)
    found = primaries(page)
    assert len(found) == 1, found
    assert action in found[0] and 'class="icon"' in found[0]
    assert 'class="button quiet"' in page  # the other actions are there, quieter


def test_the_menu_folds_into_a_button_with_the_user_inside(client, login_as):
    user = login_as("teacher")
    page = client.get("/home").get_data(as_text=True)
    # the menu holds its own groups (<details class="submenu">): up to the header's end
    menu = re.search(r'<details class="menu" id="menu">.*</details>\s*</header>', page, re.S)
    menu = menu.group(0)
    assert re.search(r'<summary class="menu-button">.*Danh mục.*</summary>', menu)
    assert user.display_name in menu and "Đăng xuất" in menu
    nav = re.search(r'<nav class="mainnav".*?</nav>', menu, re.S).group(0)
    assert nav.count("<a ") == 4  # home, sessions, check in, my certificates
    assert nav.count('<svg class="icon" aria-hidden="true"') == 4


def empty_state(page):
    found = re.search(r'<div class="empty-state">.*?</div>', page, re.S)
    assert found, "no empty state"
    return found.group(0)


@pytest.mark.parametrize(
    "role, path, message, link",
    [
        ("trainer", "/sessions", "Không có buổi học nào phù hợp", "/sessions/new"),
        ("manager", "/staff?q=zzzzqqq", "Không có ai phù hợp", "/staff?reset=1"),
        ("teacher", "/my/certificates", "Chưa có chứng chỉ.", "/staff/"),
        ("teacher", "/jobs", "Không có công việc nào", None),
    ],
)
def test_an_empty_list_says_what_to_do_next(client, login_as, role, path, message, link):
    login_as(role)
    response = client.get(path)
    assert response.status_code == 200
    box = empty_state(response.get_data(as_text=True))
    assert message in box
    assert '<p class="muted">' in box  # the next step, in words
    if link:
        assert f'href="{link}' in box
