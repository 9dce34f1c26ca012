"""Imports in the browser and accounts for a whole unit."""

import io
import re
import zipfile

from sqlalchemy import func, select

from trainer.accounts.models import User
from trainer.audit import AuditEntry
from trainer.org.models import OrgUnit, Staff

from .. import factories


def upload(client, kind, content, name="file.csv"):
    return client.post(
        "/imports",
        data={"kind": kind, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_only_admins_import(client, login_as):
    login_as("manager")
    assert client.get("/imports").status_code == 404


def test_check_then_confirm(client, login_as, db):
    login_as("admin")
    content = "code,name,kind,parent_code\nDB-C,Huyện Tủa Chùa,district,DB\n".encode()
    checked = upload(client, "orgunits", content)
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200
    assert "1 dòng: 1 tạo mới, 0 cập nhật, 0 không đổi." in page
    assert db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB-C")) is None
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    done = client.post(
        "/imports/confirm", data={"token": token, "kind": "orgunits", "filename": "file.csv"}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB-C")).parent.code == "DB"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import.orgunits"))


def test_bad_file_shows_every_row_and_writes_nothing(client, login_as, db):
    login_as("admin")
    content = (
        "staff_code,full_name,org_code,position\nT1,,DB-A-S1,teacher\nT2,Bình,NOPE,teacher\n"
    ).encode()
    page = upload(client, "staff", content).get_data(as_text=True)
    assert 'name="token"' not in page
    assert "NOPE" in page
    assert page.count('<tr><td class="num">') == 2
    assert db.session.scalar(select(func.count()).select_from(Staff)) == 0


def test_bulk_accounts_in_the_browser(client, login_as, db, tree):
    factories.make_staff(tree["DB-A-S1"], "Nguyễn Tiến Thắng", staff_code="A1")
    factories.make_staff(tree["DB-A-S2"], "Đặng Văn Đức", staff_code="A2")
    factories.make_staff(tree["DB-A-S2"], "Cà Văn Nghỉ", staff_code="A3", status="inactive")
    factories.make_staff(tree["DB-B-S1"], "Lò Thị Hương", staff_code="B1")
    db.session.commit()
    login_as("manager")  # DB-A; has an account already
    page = client.get("/accounts/bulk?org=DB-A").get_data(as_text=True)
    assert "2 cán bộ đang công tác chưa có tài khoản." in page
    assert client.get("/accounts/bulk?org=DB-B").status_code == 404
    started = client.post("/accounts/bulk", data={"org": "DB-A"})
    assert started.status_code == 302 and started.location.startswith("/jobs/")
    outcome = client.get(started.location).get_data(as_text=True)
    assert "Đã tạo 2 tài khoản" in outcome and "accounts-DB-A.zip" in outcome
    response = client.get(started.location + "/file")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["DB-A-S1.pdf", "DB-A-S2.pdf"]
    db.session.expire_all()
    created = db.session.scalars(select(User).where(User.role == "teacher")).all()
    assert sorted(u.staff.staff_code for u in created) == ["A1", "A2"]
    assert all(u.must_change_password for u in created)
    again = client.post("/accounts/bulk", data={"org": "DB-A"})
    assert again.status_code == 302  # nobody left
