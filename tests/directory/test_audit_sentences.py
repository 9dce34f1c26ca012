"""The audit log reads as sentences with links, filtered by unit and kind (issue 20, item 7)."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from trainer.audit import AuditEntry
from trainer.curriculum.models import Module
from trainer.training import services

from .. import factories


def setup_log(db, tree, trainer_unit="DB-A"):
    """A trainer of ``trainer_unit`` schedules a session at DB-A-S1, enrols three people and
    marks one present; an old entry of a kind the page does not know; a stored revocation."""
    module = db.session.scalar(select(Module).where(Module.code == "IU01"))
    teacher_staff = factories.make_staff(tree["DB-A-S1"], "Nguyễn Văn Giảng", "it_teacher")
    actor = factories.make_user("trainer", tree[trainer_unit], staff=teacher_staff)
    people = [
        factories.make_staff(tree["DB-A-S1"], name, staff_code=f"P{i}")
        for i, name in enumerate(["Lò Thị Anh", "Vì Văn Ân", "Đào Thị Dương"], start=1)
    ]
    start = datetime.now(UTC) + timedelta(days=1)
    session = services.create_session(
        module=module,
        title="Sử dụng Internet",
        trainer=teacher_staff,
        venue=tree["DB-A-S1"],
        location="Phòng máy",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=10,
        created_by=actor,
    )
    services.enroll(session, people, actor=actor)
    services.record_attendance(session, people[0], "present", marked_by=actor)
    db.session.add(
        AuditEntry(
            action="gadget.polish",
            object_type="Gadget",
            object_id="9",
            details={"shine": "bright"},
        )
    )
    db.session.add(
        AuditEntry(
            action="certificate.revoke",
            object_type="Certificate",
            object_id="1",
            details={"number": "DB-2026-000001", "reason": "<b>Cấp nhầm</b>"},
            user_id=actor.id,
        )
    )
    db.session.commit()
    return session


def test_entries_read_as_sentences_with_links(client, login_as, db, tree):
    session = setup_log(db, tree)
    login_as("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    link = f'<a href="/sessions/{session.id}">“Sử dụng Internet” (#{session.id})</a>'
    assert f"ghi danh 3 người vào buổi {link}" in page
    assert '<a href="/staff/P1">Lò Thị Anh</a>' in page
    assert "Nguyễn Văn Giảng</a> lên lịch buổi" in page
    assert 'điểm danh <a href="/staff/P1">Lò Thị Anh</a>: Có mặt' in page
    assert "thu hồi chứng chỉ DB-2026-000001: &lt;b&gt;Cấp nhầm&lt;/b&gt;." in page  # escaped
    assert "Hệ thống: gadget.polish trên Gadget 9 (shine: bright)." in page  # the fallback
    assert "TrainingSession" not in page and "old: None" not in page


def test_sentences_in_english(client, login_as, db, tree):
    session = setup_log(db, tree)
    login_as("admin")
    page = client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert f'enrolled 3 people in the session <a href="/sessions/{session.id}">' in page
    assert 'marked <a href="/staff/P1">Lò Thị Anh</a> Present' in page


def test_filter_by_kind_and_by_unit(client, login_as, db, tree):
    setup_log(db, tree, trainer_unit="DB-A")
    login_as("admin")
    enrolments = client.get("/admin/audit?action=session.enroll").get_data(as_text=True)
    assert "ghi danh 3 người" in enrolments and "lên lịch buổi" not in enrolments
    assert '<option value="session.enroll" selected>' in enrolments
    sessions = client.get("/admin/audit?action=session").get_data(as_text=True)
    assert "ghi danh 3 người" in sessions and "lên lịch buổi" in sessions
    assert "thu hồi" not in sessions
    in_district = client.get("/admin/audit?org=DB-A").get_data(as_text=True)
    assert "ghi danh 3 người" in in_district and "gadget.polish" not in in_district
    other = client.get("/admin/audit?org=DB-B").get_data(as_text=True)
    assert "ghi danh" not in other and "Không có ghi nhận nào phù hợp." in other
    unknown = client.get("/admin/audit?org=NO-SUCH")
    assert unknown.status_code == 200
    text = unknown.get_data(as_text=True)
    assert "Không có đơn vị nào mang mã này." in text and "ghi danh" not in text


def test_a_session_held_in_the_unit_counts_whoever_acted(client, login_as, db, tree):
    """An admin (no unit) enrolling people in a session at a school of DB-A shows under DB-A."""
    setup_log(db, tree, trainer_unit="DB")
    login_as("admin")
    page = client.get("/admin/audit?org=DB-A").get_data(as_text=True)
    assert "ghi danh 3 người" in page and "thu hồi" not in page


def test_bulk_issue_links_its_first_certificate(client, login_as, db, tree):
    from datetime import date

    from trainer.certificates.models import Certificate
    from trainer.curriculum.models import CertificateLevel

    person = factories.make_staff(tree["DB-A-S1"], "Lò Thị Anh", staff_code="P1")
    level = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    db.session.add(
        Certificate(
            number="DB-2026-000007",
            issuer_key="DB",
            issuer="Sở",
            external=True,
            verification_code="bulkfirstcode1234",
            staff_id=person.id,
            level_id=level.id,
            issued_on=date(2026, 1, 1),
        )
    )
    db.session.add(
        AuditEntry(
            action="certificate.issue_bulk",
            object_type="OrgUnit",
            object_id="1",
            details={"level": "basic", "count": 12, "first": "DB-2026-000007"},
        )
    )
    db.session.commit()
    login_as("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert (
        'cấp 12 chứng chỉ (basic), từ số <a href="/certificates/DB-2026-000007">DB-2026-000007</a>'
    ) in page


def test_an_account_created_names_its_role_in_the_users_language(client, login_as, db, tree):
    db.session.add(
        AuditEntry(
            action="user.create",
            object_type="User",
            object_id="7",
            details={"email": "gv@example.vn", "role": "teacher"},
        )
    )
    db.session.commit()
    login_as("admin")
    assert "gv@example.vn (Giáo viên)" in client.get("/admin/audit").get_data(as_text=True)
    english = client.get("/admin/audit?lang=en").get_data(as_text=True)
    assert "gv@example.vn (Teacher)" in english and "(teacher)" not in english


def sync_log(db, tree):
    """Four items a tablet sent after working offline, through the real sync service: a mark
    applied, a mark older than the server's (superseded), a person unknown (refused) and a
    score for a session not held yet (refused)."""
    import uuid

    from trainer.accounts.models import User
    from trainer.accounts.scope import scope_for
    from trainer.training.sync import apply_items

    session = setup_log(db, tree)
    actor = db.session.scalar(select(User).where(User.role == "trainer"))
    now = datetime.now(UTC)

    def item(kind, code, minutes, **fields):
        return {
            "id": str(uuid.uuid4()),
            "kind": kind,
            "session": session.id,
            "staff_code": code,
            "device_at": (now - timedelta(minutes=minutes)).isoformat(),
            **fields,
        }

    answers = apply_items(
        scope_for(actor),
        actor,
        [
            item("attendance", "P2", 5, status="late", via="tap"),
            item("attendance", "P1", 60, status="absent"),  # P1 was marked present since
            item("attendance", "NOPE", 5, status="present"),
            item("result", "P3", 5, score=80),
        ],
        now=now,
    )
    db.session.commit()
    assert [a["outcome"] for a in answers] == ["applied", "superseded", "refused", "refused"]
    return session


def test_offline_sync_entries_read_as_sentences(client, login_as, db, tree):
    """Through the real sync service (the sentences themselves are issue 18's, on main)."""
    session = sync_log(db, tree)
    login_as("admin")
    page = client.get("/admin/audit?action=sync").get_data(as_text=True)
    rows = [row for row in page.split("<tr ") if 'data-action="sync.' in row]
    assert len(rows) == 4
    text = " ".join(rows)
    link = f'<a href="/sessions/{session.id}">“Sử dụng Internet” (#{session.id})</a>'
    assert '<a href="/staff/P2">Vì Văn Ân</a>' in text and link in text
    assert "bị thay bằng lượt điểm danh sau hơn" in text  # superseded: a later mark won
    assert "bị từ chối (không tìm thấy người này)" in text  # refused: nobody with this code
    assert "bị từ chối (buổi học chưa diễn ra)" in text and "ghi điểm 80 cho" in text
    for raw in ("DeviceSubmission", "device_id", "received_at", "None", "sync.attendance trên"):
        assert raw not in text, raw
    assert '<option value="sync.attendance"' in page  # the kind filter offers them


def test_audit_dates_are_typed_day_first(client, login_as, db, tree):
    setup_log(db, tree)
    login_as("admin")
    page = client.get("/admin/audit?from=2026-03-05&to=31/12/2099").get_data(as_text=True)
    for name, shown in (("from", "05/03/2026"), ("to", "31/12/2099")):
        field = re.search(rf'<input [^>]*id="{name}"[^>]*>', page).group(0)
        assert 'type="text"' in field and 'inputmode="numeric"' in field
        assert f'value="{shown}"' in field and 'placeholder="dd/mm/yyyy"' in field
    assert "ghi danh 3 người" in page  # today lies between the two dates
    before = client.get("/admin/audit?to=01/01/2000").get_data(as_text=True)
    assert "ghi danh" not in before
    bad = client.get("/admin/audit?from=31/02/2026")
    assert bad.status_code == 400 and "ghi danh" not in bad.get_data(as_text=True)


def test_a_tablet_mark_has_two_entries_that_say_why(client, login_as, db, tree):
    """Issue 20 leftover 3: an applied tablet mark is one submission (sync.attendance) and one
    change of the roll (attendance.mark): both kept, the second saying it applies the first,
    not the same "X marked P late" sentence twice."""
    sync_log(db, tree)
    login_as("admin")
    page = client.get("/admin/audit?lang=en").get_data(as_text=True)
    rows = [r for r in page.split("<tr ") if "Vì Văn Ân" in r and 'data-action="s' not in r]
    rows = [r for r in rows if "data-action=" in r] + [
        r for r in page.split("<tr ") if "Vì Văn Ân" in r and 'data-action="sync.' in r
    ]
    actions = sorted(re.search(r'data-action="([^"]+)"', r).group(1) for r in rows)
    assert actions == ["attendance.mark", "sync.attendance"]
    (change,) = [r for r in rows if 'data-action="attendance.mark"' in r]
    assert "The roll of the session" in change and "sent from a tablet (its own entry)" in change
    assert re.search(r"from (?i:not marked) to (?i:late), applying", change)
    # a mark made on the page is still the plain sentence
    assert re.search(r'marked <a href="/staff/P1">Lò Thị Anh</a> (?i:present)', page)


def test_import_entries_read_in_the_users_language(client, login_as, db, tree):
    from trainer import audit

    actor = login_as("admin")
    audit.record(
        "import.staff",
        user=actor,
        object_type="import",
        object_id="nhan-su.xlsx",
        rows=12,
        created=3,
        updated=2,
        unchanged=7,
    )
    audit.record(
        "import.mapping",
        user=actor,
        object_type="import_mapping",
        object_id="Mẫu huyện",
        kind="staff",
        columns=5,
    )
    db.session.commit()
    vi = client.get("/admin/audit?lang=vi").get_data(as_text=True)
    en = client.get("/admin/audit?lang=en").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", "", vi)
    for key in ("rows", "created", "updated", "unchanged", "kind", "columns", "staff"):
        assert f"{key}:" not in text and f"({key})" not in text, key
    assert "số dòng: 12, thêm mới: 3, cập nhật: 2, không đổi: 7" in text
    assert "nhan-su.xlsx (nhân sự)" in text and "Mẫu huyện" in text
    text = re.sub(r"<[^>]+>", "", en)
    assert "rows: 12, created: 3, updated: 2, unchanged: 7" in text
    assert "column mapping Mẫu huyện for staff (5 columns)" in text
