"""Kill the process in the middle of a multi-row operation: nothing is half-written.

Each operation runs in a child process (``killed_midway.py``) that SIGKILLs itself after
some of the operation's rows have been sent to the database. The parent then finds the
database exactly as before, and the same operation, run again, completes normally: no lock
or counter is left behind. On SQLite the killed writer leaves a hot journal that the next
reader rolls back; PostgreSQL aborts the transaction of a connection that disappears.
"""

import json
import signal
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trainer.accounts.services import issue_token
from trainer.audit import AuditEntry
from trainer.certificates.models import Certificate, CertificateSequence
from trainer.curriculum import services as curriculum
from trainer.curriculum.models import Module
from trainer.org.models import Staff, StaffNameWord
from trainer.training import services as training_services
from trainer.training.models import Enrollment, TrainingSession

from .. import factories

# a child process writes and is killed: real commits
pytestmark = pytest.mark.committed

ROOT = Path(__file__).resolve().parents[2]


def run_killed(backend, where, *args):
    """Run the child; it must have died by SIGKILL at ``where``."""
    child = subprocess.run(
        [sys.executable, "-m", "tests.security.killed_midway", backend[1], where, *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == -signal.SIGKILL, (child.returncode, child.stdout, child.stderr)
    assert f"killed before {where}" in child.stderr


def count(db, model, *where):
    db.session.rollback()  # a fresh transaction: see what the database holds now
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def admin_token(db, tree):
    token = issue_token(factories.make_user("admin", tree["DB"]))
    db.session.commit()
    return token


@pytest.fixture
def session_with_room(db, tree):
    module = db.session.scalar(select(Module).where(Module.code == "IU01"))
    trainer = factories.make_staff(tree["DB-A-S1"], "Lò Văn Giảng", "it_teacher")
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    session = training_services.create_session(
        module=module,
        title="Tin học cơ bản",
        trainer=trainer,
        venue=tree["DB-A-S1"],
        location="Phòng máy",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=10,
    )
    people = [
        factories.make_staff(tree["DB-A-S1"], f"Giáo Viên Số {i}", staff_code=f"K{i}")
        for i in range(1, 7)
    ]
    db.session.commit()
    return session, people


def test_enrolment_killed_after_the_count_moved(
    backend, db, client, admin_token, session_with_room
):
    session, people = session_with_room
    body = {"staff_codes": [p.staff_code for p in people]}
    path = f"/api/v1/sessions/{session.id}/enrollments"
    run_killed(
        backend, "INSERT INTO enrollments:1", "api", admin_token, "POST", path, json.dumps(body)
    )
    assert count(db, Enrollment) == 0
    assert db.session.get(TrainingSession, session.id).enrolled_count == 0  # the UPDATE too
    again = client.post(path, json=body, headers={"Authorization": f"Bearer {admin_token}"})
    assert again.status_code == 200, again.get_json()
    assert count(db, Enrollment) == 6
    assert db.session.get(TrainingSession, session.id).enrolled_count == 6


def test_attendance_of_a_roster_killed_after_some_marks(
    backend, db, client, admin_token, session_with_room
):
    session, people = session_with_room
    training_services.enroll(session, people)
    db.session.commit()
    body = {"records": [{"staff_code": p.staff_code, "status": "present"} for p in people]}
    path = f"/api/v1/sessions/{session.id}/attendance"
    audits = count(db, AuditEntry)
    run_killed(backend, "UPDATE enrollments:4", "api", admin_token, "PUT", path, json.dumps(body))
    assert count(db, Enrollment, Enrollment.status.is_not(None)) == 0  # three were sent
    assert count(db, AuditEntry) == audits
    again = client.put(path, json=body, headers={"Authorization": f"Bearer {admin_token}"})
    assert again.status_code == 200, again.get_json()
    assert count(db, Enrollment, Enrollment.status == "present") == 6


def test_bulk_issue_killed_after_numbers_and_certificates(backend, db, client, tree, admin_token):
    modules = {m.code: m for m in db.session.scalars(select(Module))}
    for i in range(1, 6):
        person = factories.make_staff(tree["DB-A-S1"], f"Người Đạt {i}", staff_code=f"P{i}")
        for code in ("IU01", "IU02", "IU03", "IU04", "IU05", "IU06"):
            curriculum.record_result(person, modules[code], 80, date(2026, 1, 10))
    db.session.commit()
    body = json.dumps({"org": "DB-A", "level": "basic"})
    run_killed(
        backend,
        "INSERT INTO audit_entries:1",
        "api",
        admin_token,
        "POST",
        "/api/v1/certificates/bulk",
        body,
    )
    assert count(db, Certificate) == 0
    assert count(db, CertificateSequence) == 0  # the reserved numbers went back too
    again = client.post(
        "/api/v1/certificates/bulk",
        json=json.loads(body),
        headers={"Authorization": f"Bearer {admin_token}"},
    )
    assert again.status_code == 201, again.get_json()
    numbers = again.get_json()["numbers"]
    assert len(numbers) == 5 and numbers[0].endswith("-000001")  # no gap left by the kill


def test_import_killed_after_the_staff_rows(backend, db, runner, tree, tmp_path):
    rows = [f"N{i:05d},Nguyễn Văn Mạnh {i},DB-A-S{1 + i % 2},teacher" for i in range(3000)]
    path = tmp_path / "staff.csv"
    path.write_text(
        "staff_code,full_name,org_code,position\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    before = count(db, Staff)
    run_killed(backend, "INSERT INTO staff_name_words:1", "import", "staff", path)
    assert count(db, Staff) == before  # 3,000 rows had been sent in two batches
    assert count(db, StaffNameWord) == 0
    result = runner.invoke(args=["import", "staff", str(path)])
    assert result.exit_code == 0, result.output
    assert count(db, Staff) == before + 3000
