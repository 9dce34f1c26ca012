"""The "Phân tích" tab: coverage broken down by one or two attributes, server-rendered."""

import re

from .. import factories
from ..api.test_breakdown import certify


def cells(page):
    """The body rows of the breakdown table as lists of cell texts."""
    body = page.split('<table class="breakdown">')[1].split("<tfoot>")[0].split("<tbody>")[1]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in body.split("</tr>") if "<td" in row]


def test_analysis_by_school_level_and_ethnic_minority(client, login_as, db, tree):
    tree["DB-A-S1"].school_level, tree["DB-A"].disadvantaged = "tieu_hoc", True
    first = factories.make_staff(tree["DB-A-S1"], "Lò Thị Mai", gender="female", ethnicity="Thái")
    factories.make_staff(tree["DB-A-S1"], "Lò Văn Sơn", gender="male", ethnicity="Kinh")
    factories.make_staff(tree["DB-A-S2"], "Vừ A Dính")
    certify(db, first)
    db.session.commit()
    login_as("manager")  # DB-A, with a staff record of its own at DB-A
    dashboard = client.get("/coverage").get_data(as_text=True)
    assert "/coverage/analysis" in dashboard and "Phân tích" in dashboard
    page = client.get("/coverage/analysis?by=school_level&by2=ethnic_minority")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Phân tích: Huyện Mường Chà" in text
    assert '<option value="ethnic_minority" selected>Dân tộc thiểu số</option>' in text
    assert cells(text) == [
        ["Tiểu học", "Không", "1", "0", "0,0 %"],
        ["Tiểu học", "Có", "1", "1", "100,0 %"],
        ["Chưa khai báo", "Chưa khai báo", "2", "0", "0,0 %"],
    ]
    assert "25,0 %" in text.split("<tfoot>")[1]
    by_child = cells(client.get("/coverage/analysis?by=child").get_data(as_text=True))
    assert by_child == [
        ["Huyện Mường Chà", "1", "0", "0,0 %"],
        ["Trường Tiểu học Sa Lông", "2", "1", "50,0 %"],
        ["Trường THCS Sá Tổng", "1", "0", "0,0 %"],
    ]
    assert client.get("/coverage/analysis?org=DB-B&by=gender").status_code == 404


def test_an_unknown_dimension_falls_back_to_school_level(client, login_as, tree):
    login_as("admin")
    page = client.get("/coverage/analysis?org=DB&by=colour").get_data(as_text=True)
    assert '<option value="school_level" selected>' in page
