"""Finding 14.10: scope follows a transfer. A user linked to a staff record keeps a scope
that holds the record: when a staff import moves a trainer to another district, the old
district is out of reach (reads and writes) and the new one is in it."""

import pytest
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.accounts.services import issue_token
from trainer.audit import AuditEntry
from trainer.imports import importer_for
from trainer.imports.base import run_import

from .. import factories

HEADER = "staff_code,full_name,org_code,position,status\n"


def transfer(staff, org_code):
    report = run_import(
        importer_for("staff"),
        "staff.csv",
        f"{HEADER}{staff.staff_code},{staff.full_name},{org_code},it_teacher,active\n".encode(),
    )
    assert report.ok, report.errors


def session_body(org):
    return {
        "module": "IU01",
        "title": "Soạn thảo văn bản",
        "trainer": "TRF1",
        "org": org,
        "location": "Phòng máy",
        "starts_at": "2030-03-04T08:00:00+07:00",
        "ends_at": "2030-03-04T10:00:00+07:00",
        "capacity": 20,
    }


@pytest.mark.parametrize(
    ("scope_unit", "record_unit", "new_unit", "new_scope"),
    [
        ("DB-A", "DB-A", "DB-B", "DB-B"),  # scoped to the record's own unit
        ("DB-A", "DB-A-S1", "DB-B-S1", "DB-B-S1"),  # a wider scope that no longer holds it
    ],
)
def test_a_transferred_trainer_leaves_the_old_district(
    client, db, tree, scope_unit, record_unit, new_unit, new_scope
):
    staff = factories.make_staff(tree[record_unit], "Lò Văn Thắng", "it_teacher", staff_code="TRF1")
    user = factories.make_user("trainer", tree[scope_unit], staff=staff)
    old_colleague = factories.make_staff(tree["DB-A-S2"], "Quàng Văn Đức", staff_code="OLD1")
    new_colleague = factories.make_staff(tree["DB-B-S1"], "Lò Thị Hương", staff_code="NEW1")
    headers = {"Authorization": f"Bearer {issue_token(user)}"}
    db.session.commit()
    assert client.get("/api/v1/staff/OLD1", headers=headers).status_code == 200
    assert client.get("/api/v1/staff/NEW1", headers=headers).status_code == 404

    transfer(staff, new_unit)
    db.session.commit()
    db.session.expire_all()

    assert db.session.get(User, user.id).org_unit_id == tree[new_scope].id
    # reads
    assert (
        client.get(f"/api/v1/staff/{old_colleague.staff_code}", headers=headers).status_code == 404
    )
    assert (
        client.get(f"/api/v1/staff/{new_colleague.staff_code}", headers=headers).status_code == 200
    )
    assert client.get("/api/v1/orgunits/DB-A", headers=headers).status_code == 404
    # writes: a session in the old district is refused, one in the new unit is scheduled
    refused = client.post("/api/v1/sessions", json=session_body("DB-A-S2"), headers=headers)
    assert refused.status_code == 400 and refused.get_json()["error"] == "unknown_org"
    created = client.post("/api/v1/sessions", json=session_body(new_unit), headers=headers)
    assert created.status_code == 201, created.get_json()
    follows = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "user.scope_follows_staff")
    ).all()
    assert [(e.object_id, e.details["to"]) for e in follows] == [(str(user.id), tree[new_scope].id)]


def test_a_wider_scope_that_still_holds_the_record_is_kept(db, tree):
    staff = factories.make_staff(tree["DB-A-S1"], "Lò Văn Thắng", "it_teacher", staff_code="TRF1")
    user = factories.make_user("trainer", tree["DB-A"], staff=staff)
    db.session.commit()
    transfer(staff, "DB-A-S2")  # another school of the same district
    db.session.expire_all()
    assert db.session.get(User, user.id).org_unit_id == tree["DB-A"].id
