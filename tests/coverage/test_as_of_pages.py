"""Every page of the dashboard follows the as-of date (issue 15 item 4), and the breadcrumb
shows the whole path with links only inside the user's scope (issue 20 item 6)."""

import re

import pytest
from sqlalchemy import select

from tests import factories
from trainer.org.models import OrgUnit

OLD, NEW = "2025-06-30", "2025-07-01"


def codes_of(page):
    return set(re.findall(r'data-code="([^"]+)"', page))


def kinds(db, codes):
    return set(db.session.scalars(select(OrgUnit.kind).where(OrgUnit.code.in_(codes))))


@pytest.fixture
def demo(db, client):
    """The small demo (two districts before the reform, the new communes after), an admin
    signed in."""
    from trainer.demo.seed import seed_demo_data

    seed_demo_data("small")
    user = factories.make_user(
        "admin", db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB"))
    )
    db.session.commit()
    answer = client.post("/login", data={"identifier": user.email, "password": factories.PASSWORD})
    assert answer.status_code == 302
    return user


def test_the_tree_the_dashboard_and_the_activity_show_the_structure_of_the_date(client, db, demo):
    districts = {"DB-MCH", "DB-DBD"}
    tree_before = client.get(f"/org/DB?as_of={OLD}").get_data(as_text=True)
    tree_after = client.get(f"/org/DB?as_of={NEW}").get_data(as_text=True)
    assert districts <= codes_of(tree_before)
    assert not districts & codes_of(tree_after)
    assert kinds(db, codes_of(tree_before)) >= {"district"}
    assert "commune" in kinds(db, codes_of(tree_after)) and "district" not in kinds(
        db, codes_of(tree_after)
    )
    # children links keep the date
    assert f'href="/org/DB-MCH?as_of={OLD}"' in tree_before

    board_before = client.get(f"/coverage?org=DB&as_of={OLD}").get_data(as_text=True)
    board_after = client.get(f"/coverage?org=DB&as_of={NEW}").get_data(as_text=True)
    assert "org=DB-MCH&amp;" in board_before and "org=DB-MCH&amp;" not in board_after

    before = client.get(f"/coverage/activity?org=DB&as_of={OLD}").get_data(as_text=True)
    after = client.get(f"/coverage/activity?org=DB&as_of={NEW}").get_data(as_text=True)
    assert codes_of(before) == districts
    assert codes_of(after) == codes_of(tree_after) and not districts & codes_of(after)
    held = re.findall(
        r'data-code="DB-MCH"><td><a [^>]*>[^<]*</a></td><td class="num">([\d.]+)', before
    )
    assert held and int(held[0].replace(".", "")) > 0  # the district's sessions of that year

    # a closed district's page, after the reform: merged into the province, linked
    closed = client.get(f"/org/DB-MCH?as_of={NEW}&lang=en").get_data(as_text=True)
    assert "Merged into" in closed and f'href="/org/DB?as_of={NEW}"' in closed
    assert "01/07/2025" in closed
    # one sentence in the reader's language, the successor linked inside it
    vi = client.get(f"/org/DB-MCH?as_of={NEW}&lang=vi").get_data(as_text=True)
    assert re.search(
        r'Đã sáp nhập vào <a href="/org/DB\?as_of=[\d-]+">[^<]+</a> ngày 01/07/2025', vi
    )
    gone = client.get(f"/coverage/activity?org=DB-MCH&as_of={NEW}&lang=en")
    assert gone.status_code == 200 and "Merged into" in gone.get_data(as_text=True)
    assert client.get(f"/coverage/activity.csv?org=DB-MCH&as_of={NEW}").status_code == 404
    assert client.get(f"/coverage/activity.csv?org=DB-MCH&as_of={OLD}").status_code == 200


def test_a_school_breadcrumb_follows_the_date(client, db, demo):
    school = db.session.scalar(
        select(OrgUnit).where(OrgUnit.kind == "school", OrgUnit.code.like("DB-MCH-%"))
    )
    before = client.get(f"/org/{school.code}?as_of={OLD}").get_data(as_text=True)
    after = client.get(f"/org/{school.code}?as_of={NEW}").get_data(as_text=True)
    crumbs = lambda page: page.split('class="breadcrumb"')[1].split("</nav>")[0]  # noqa: E731
    assert "Huyện Mường Chà" in crumbs(before) and "Huyện Mường Chà" not in crumbs(after)
    assert f'href="/org/DB-MCH?as_of={OLD}"' in crumbs(before)


def test_the_breadcrumb_shows_units_above_the_scope_without_links(client, db, login_as, tree):
    login_as("trainer", "DB-A")
    for url in ("/org/DB-A-S1", "/org/DB-A"):
        answer = client.get(url)
        assert answer.status_code == 200
        crumbs = answer.get_data(as_text=True).split('class="breadcrumb"')[1].split("</nav>")[0]
        assert "Tỉnh Điện Biên" in crumbs and 'href="/org/DB"' not in crumbs
    crumbs = client.get("/org/DB-A-S1").get_data(as_text=True).split('class="breadcrumb"')[1]
    assert 'href="/org/DB-A"' in crumbs.split("</nav>")[0]
    assert client.get("/org/DB").status_code == 404  # above the scope: still not found


def test_the_dashboard_breadcrumb_of_a_head_shows_the_province_unlinked(client, db, login_as, tree):
    login_as("manager", "DB-A")
    page = client.get("/coverage?org=DB-A-S1").get_data(as_text=True)
    crumbs = page.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert "Tỉnh Điện Biên" in crumbs and "org=DB&" not in crumbs and 'org=DB"' not in crumbs
    assert "org=DB-A" in crumbs


def test_a_bad_as_of_on_the_tree_is_a_clear_400(client, login_as, tree):
    login_as("admin")
    answer = client.get("/org/DB?as_of=31/02/2025")
    assert answer.status_code == 400


def test_a_profile_breadcrumb_links_only_inside_the_scope(client, db, login_as, tree):
    person = factories.make_staff(tree["DB-A-S1"], "Lò Thị Hương")
    db.session.commit()
    login_as("trainer", "DB-A")
    page = client.get(f"/staff/{person.staff_code}").get_data(as_text=True)
    crumbs = page.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert "Tỉnh Điện Biên" in crumbs and 'href="/org/DB"' not in crumbs
    assert 'href="/org/DB-A"' in crumbs and 'href="/org/DB-A-S1"' in crumbs


BAD_DATE_PAGES = ["/coverage", "/coverage/analysis", "/coverage/uncertified", "/org/DB"]


def date_field_error(page):
    """The error under the page's date field (``as_of``), or None."""
    found = re.search(
        r'name="as_of"[^>]*aria-invalid="true"[^>]*>\s*<p class="error"[^>]*>([^<]+)</p>'
        r'|aria-invalid="true"[^>]*name="as_of"[^>]*>\s*<p class="error"[^>]*>([^<]+)</p>',
        page,
    )
    return (found.group(1) or found.group(2)).strip() if found else None


@pytest.mark.parametrize("url", BAD_DATE_PAGES)
def test_a_bad_as_of_shows_the_page_with_the_error_at_its_date_field(client, login_as, tree, url):
    """Issue 20 leftover 1: not a bare "Lỗi 400" naming the parameter and ISO, but the page
    itself (its filter form) with the field's error in the user's language, still a 400."""
    login_as("admin")
    sep = "&" if "?" in url else "?"
    answer = client.get(f"{url}{sep}as_of=31/02/2026&lang=vi")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "as_of phải" not in page and "YYYY-MM-DD" not in page  # no raw name, no ISO
    assert date_field_error(page) == "Ngày không hợp lệ: hãy viết dạng ngày/tháng/năm (dd/mm/yyyy)."
    assert 'value="31/02/2026"' in page  # kept as typed, to correct
    english = client.get(f"{url}{sep}as_of=31/12/9999&lang=en").get_data(as_text=True)
    assert date_field_error(english) == "The date must be from 01/01/1900 to 31/12/2100."
    good = client.get(f"{url}{sep}as_of=30/11/2026&lang=en")
    assert good.status_code == 200 and date_field_error(good.get_data(as_text=True)) is None


def test_a_bad_as_of_on_an_export_is_still_a_400(client, login_as, tree):
    login_as("admin")
    assert client.get("/coverage/export.csv?as_of=31/02/2026").status_code == 400
    assert client.get("/coverage/uncertified.csv?as_of=31/02/2026").status_code == 400
