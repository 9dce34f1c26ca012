"""Small builders of org units, staff and users for tests."""

import itertools

from trainer.accounts.models import User
from trainer.extensions import db
from trainer.org.models import OrgUnit, Staff

PASSWORD = "correct-horse-42"
_numbers = itertools.count(1)

DEFAULT_UNIT = {"admin": "DB", "manager": "DB-A", "trainer": "DB-A", "teacher": "DB-A-S1"}


def make_unit(code, name=None, kind="school", parent=None):
    """Create an org unit with its materialised path."""
    unit = OrgUnit(code=code, name=name or f"Đơn vị {code}", kind=kind, parent=parent)
    db.session.add(unit)
    db.session.flush()
    unit.set_path()
    db.session.flush()
    return unit


def make_tree():
    """The fixture province used by most tests, as a dict code → unit."""
    root = make_unit("DB", "Tỉnh Điện Biên", "province")
    a = make_unit("DB-A", "Huyện Mường Chà", "district", root)
    b = make_unit("DB-B", "Huyện Điện Biên Đông", "district", root)
    units = {
        "DB": root,
        "DB-A": a,
        "DB-B": b,
        "DB-A-S1": make_unit("DB-A-S1", "Trường Tiểu học Sa Lông", "school", a),
        "DB-A-S2": make_unit("DB-A-S2", "Trường THCS Sá Tổng", "school", a),
        "DB-B-S1": make_unit("DB-B-S1", "Trường Mầm non Na Son", "school", b),
    }
    return units


def make_staff(unit, full_name="Nguyễn Tiến Thắng", position="teacher", **fields):
    """Create a staff member in ``unit``."""
    number = next(_numbers)
    staff = Staff(
        staff_code=fields.pop("staff_code", f"T{number:05d}"),
        full_name=full_name,
        org_unit=unit,
        position=position,
        **fields,
    )
    db.session.add(staff)
    db.session.flush()
    return staff


def make_user(role, unit, *, staff=None, email=None, password=PASSWORD, **fields):
    """Create a user of ``role`` scoped to ``unit``; teachers and trainers get a staff record."""
    if staff is None and role in ("teacher", "trainer", "manager"):
        position = {"teacher": "teacher", "trainer": "it_teacher", "manager": "manager"}[role]
        staff = make_staff(unit, f"Tài Khoản Thử {next(_numbers)}", position)
    if email is None and role != "teacher":
        email = f"{role}{next(_numbers)}@example.vn"
    one_time = fields.pop("must_change_password", False)
    user = User(email=email, role=role, org_unit=unit, staff=staff, **fields)
    user.set_password(password, one_time=one_time)
    db.session.add(user)
    db.session.flush()
    return user
