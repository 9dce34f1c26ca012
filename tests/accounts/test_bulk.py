"""Accounts for a whole unit: one-time passwords, sheets per school, forced change."""

import subprocess

from sqlalchemy import select

from trainer.accounts.models import User
from trainer.accounts.services import create_accounts_for_unit
from trainer.audit import AuditEntry

from .. import factories


def test_accounts_for_staff_without_one(db, tree):
    has_one = factories.make_user("teacher", tree["DB-A-S1"])
    factories.make_staff(tree["DB-A-S1"], "Nguyễn Tiến Thắng", email="Thang@Example.vn")
    factories.make_staff(tree["DB-A-S2"], "Quàng Văn Đức", email=has_one.email)
    factories.make_staff(tree["DB-A-S2"], "Cà Văn Nghỉ", status="inactive")
    factories.make_staff(tree["DB-B-S1"], "Lò Thị Hương")
    created = create_accounts_for_unit(tree["DB-A"])
    db.session.commit()
    assert sorted(s.full_name for s, _ in created) == ["Nguyễn Tiến Thắng", "Quàng Văn Đức"]
    passwords = [p for _, p in created]
    assert len(set(passwords)) == 2 and all(len(p) == 10 for p in passwords)
    thang = db.session.scalar(select(User).join(User.staff).where(User.email == "thang@example.vn"))
    assert thang.must_change_password and thang.check_password(passwords[0]) in (True, False)
    by_name = {s.full_name: p for s, p in created}
    assert thang.check_password(by_name["Nguyễn Tiến Thắng"])
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create_bulk"))
    assert create_accounts_for_unit(tree["DB-A"]) == []  # nobody left


def test_first_sign_in_with_one_time_password_forces_a_new_one(client, db, tree):
    staff = factories.make_staff(tree["DB-A-S1"], "Lò Thị Hương", staff_code="H1")
    [(_, password)] = create_accounts_for_unit(tree["DB-A-S1"])
    db.session.commit()
    response = client.post("/login", data={"identifier": "H1", "password": password})
    assert response.status_code == 302
    assert client.get("/home").headers["Location"].endswith("/account/password")
    client.post(
        "/account/password",
        data={"current": password, "new": "my-own-password", "confirm": "my-own-password"},
    )
    assert client.get("/home").status_code == 200
    assert staff.full_name in client.get("/home").get_data(as_text=True)


def test_cli_create_bulk_writes_a_pdf_per_school(runner, db, tree, tmp_path):
    factories.make_staff(tree["DB-A-S1"], "Nguyễn Tiến Thắng", staff_code="A1")
    factories.make_staff(tree["DB-A-S2"], "Đặng Văn Đức", staff_code="A2")
    db.session.commit()
    result = runner.invoke(args=["users", "create-bulk", "--org", "DB-A", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "created 2 accounts" in result.output
    pdfs = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert pdfs == ["DB-A-S1.pdf", "DB-A-S2.pdf"]
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "DB-A-S2.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Đặng Văn Đức" in text and "A2" in text and "Trường THCS Sá Tổng" in text
    assert "Nguyễn Tiến Thắng" not in text
    assert "https://trainer.example.vn/login" in text


def test_cli_create_bulk_unknown_org(runner, db):
    result = runner.invoke(args=["users", "create-bulk", "--org", "NOPE"])
    assert result.exit_code == 1
