"""Data completeness per school and the chase list, on the page and as CSV/XLSX (item 4)."""

import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from trainer.coverage.completeness import chase_list, completeness
from trainer.curriculum.models import Module, Result
from trainer.org.models import OrgUnit
from trainer.org.periods import StaffPeriod
from trainer.training.models import Enrollment, TrainingSession

from .. import factories


def held_session(db, tree, trainer, people, statuses, *, day=10):
    iu01 = db.session.scalar(select(Module).where(Module.code == "IU01"))
    session = TrainingSession(
        module_id=iu01.id,
        title="Tin học cơ bản",
        trainer_id=trainer.id,
        org_unit_id=tree["DB-A-S1"].id,
        starts_at=datetime(2026, 3, day, 1, tzinfo=UTC),
        ends_at=datetime(2026, 3, day, 3, tzinfo=UTC),
        status="held",
        capacity=10,
    )
    db.session.add(session)
    db.session.flush()
    for person, status in zip(people, statuses, strict=True):
        db.session.add(Enrollment(session_id=session.id, staff_id=person.id, status=status))
    return session, iu01


def world(db, tree):
    """DB-A-S1: one complete person, one without MOET id and birth date; three held sessions:
    one never marked, one marked with a result, one marked without any result.
    DB-A-S2: one person without ethnicity. DB-B-S1: complete."""
    full = {"moet_id": "M1", "ethnicity": "Thái", "birth_date": date(1990, 1, 1)}
    trainer = factories.make_staff(tree["DB-A-S1"], "Lò Văn Giảng", "it_teacher", **full)
    learner = factories.make_staff(
        tree["DB-A-S1"], "Lò Thị Mai", ethnicity="Kinh", moet_id=None, birth_date=None
    )
    factories.make_staff(
        tree["DB-A-S2"], "Vừ A Dính", moet_id="M2", birth_date=date(1985, 5, 5), ethnicity=""
    )
    factories.make_staff(
        tree["DB-B-S1"],
        "Quàng Văn Đức",
        moet_id="M3",
        birth_date=date(1980, 1, 1),
        ethnicity="Kinh",
    )
    held_session(db, tree, trainer, [learner], [None], day=3)
    _s, iu01 = held_session(db, tree, trainer, [learner], ["present"], day=10)
    db.session.add(
        Result(staff_id=learner.id, module_id=iu01.id, score=80, assessed_on=date(2026, 3, 10))
    )
    held_session(db, tree, trainer, [trainer], ["late"], day=17)  # no result for the trainer
    db.session.add(
        StaffPeriod(
            staff_id=learner.id,
            org_unit_id=tree["DB-A-S1"].id,
            position="teacher",
            status="active",
            valid_from=date(2030, 1, 5),
        )
    )
    db.session.commit()


def test_completeness_counts_per_school(db, tree):
    world(db, tree)
    root = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DB"))
    by_code = {s.code: s for s in completeness(root)}
    s1 = by_code["DB-A-S1"]
    assert (s1.staff, s1.sessions_without_attendance, s1.sessions_without_results) == (2, 1, 1)
    assert (s1.staff_without_moet_id, s1.staff_without_ethnicity, s1.staff_without_birth_date) == (
        1,
        0,
        1,
    )
    assert s1.roster_changed_on == date(2030, 1, 5) and s1.missing == 4
    assert by_code["DB-A-S2"].staff_without_ethnicity == 1 and by_code["DB-A-S2"].missing == 1
    assert by_code["DB-B-S1"].missing == 0
    assert [s.code for s in chase_list(root)] == ["DB-A-S1", "DB-A-S2"]


def test_chase_list_page_and_downloads(client, login_as, db, tree):
    world(db, tree)
    login_as("manager")  # DB-A
    page = client.get("/coverage/completeness").get_data(as_text=True)
    assert "Trường cần nhắc: Huyện Mường Chà" in page
    assert page.index('data-code="DB-A-S1"') < page.index('data-code="DB-A-S2"')
    assert 'data-code="DB-B-S1"' not in page
    csv = client.get("/coverage/completeness.csv").get_data().decode("utf-8")
    assert csv.startswith("\ufeffMã đơn vị;")
    assert csv.splitlines()[1].startswith(
        "DB-A-S1;Trường Tiểu học Sa Lông;2;05/01/2030;1;1;1;0;1;4"
    )
    plain = client.get("/coverage/completeness.csv?format=csv-plain").get_data().decode("utf-8")
    assert plain.splitlines()[1].startswith("DB-A-S1,")
    book = load_workbook(io.BytesIO(client.get("/coverage/completeness.xlsx").get_data()))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][:3] == ("DB-A-S1", "Trường Tiểu học Sa Lông", 2) and rows[1][-1] == 4
    assert client.get("/coverage/completeness?org=DB-B").status_code == 404
