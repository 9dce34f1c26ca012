"""Scheduling, enrolment and attendance services."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from trainer.audit import AuditEntry
from trainer.errors import InvalidInput
from trainer.training import services
from trainer.training.errors import BadTimes, CapacityExceeded, TrainerBusy
from trainer.training.models import Enrollment

from .conftest import at


def test_overlap_is_refused_and_names_the_clash(db, make_session):
    first = make_session(start=24, hours=2)
    with pytest.raises(TrainerBusy) as caught:
        make_session(start=25, hours=2)
    assert caught.value.details["clash"] == first.id


@pytest.mark.parametrize("start, hours", [(26, 1), (22, 2)])
def test_touching_sessions_are_fine(db, make_session, start, hours):
    make_session(start=24, hours=2)
    assert make_session(start=start, hours=hours).id


def test_overlap_inside_and_around(db, make_session):
    make_session(start=24, hours=4)
    with pytest.raises(TrainerBusy):
        make_session(start=25, hours=1)  # inside
    with pytest.raises(TrainerBusy):
        make_session(start=23, hours=6)  # around


def test_cancelled_sessions_do_not_clash(db, make_session):
    first = make_session(start=24)
    services.cancel_session(first)
    db.session.commit()
    assert make_session(start=24).id != first.id


def test_other_trainers_may_overlap(db, tree, make_session):
    from .. import factories

    other = factories.make_staff(tree["DB-A-S2"], "Vàng A Páo", "it_teacher")
    make_session(start=24)
    assert make_session(start=24, trainer=other).trainer_id == other.id


def test_end_must_follow_start(db, tree, module, trainer_staff):
    with pytest.raises(BadTimes):
        services.create_session(
            module=module,
            title="x",
            trainer=trainer_staff,
            venue=tree["DB-A-S1"],
            location="",
            starts_at=at(24),
            ends_at=at(24),
            capacity=5,
        )


def test_weekly_series_is_all_or_nothing(db, tree, module, trainer_staff, make_session):
    blocker = make_session(start=24 + 7 * 24 * 2)  # the third week is taken
    with pytest.raises(TrainerBusy):
        services.create_series(
            weeks=4,
            module=module,
            title="Chuỗi",
            trainer=trainer_staff,
            venue=tree["DB-A-S1"],
            location="",
            starts_at=at(24),
            ends_at=at(26),
            capacity=20,
        )
    db.session.rollback()
    sessions = services.create_series(
        weeks=4,
        module=module,
        title="Chuỗi",
        trainer=trainer_staff,
        venue=tree["DB-A-S1"],
        location="",
        starts_at=at(24 + 3),
        ends_at=at(24 + 5),
        capacity=20,
    )
    assert [s.starts_at - sessions[0].starts_at for s in sessions] == [
        timedelta(weeks=i) for i in range(4)
    ]
    assert len({s.series_key for s in sessions}) == 1 and sessions[0].series_key
    assert blocker.id not in [s.id for s in sessions]


def test_times_are_stored_in_utc(db, tree, module, trainer_staff):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    local = datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    session = services.create_session(
        module=module,
        title="x",
        trainer=trainer_staff,
        venue=tree["DB-A-S1"],
        location="",
        starts_at=local,
        ends_at=local + timedelta(hours=2),
        capacity=5,
    )
    db.session.commit()
    db.session.expire_all()
    assert session.starts_at.utcoffset() == timedelta(0)
    assert session.starts_at.hour == 1 and session.starts_at == local


def test_enrol_within_capacity_and_refuse_whole_when_over(db, make_session, teachers):
    session = make_session(capacity=3)
    services.enroll(session, teachers[:2])
    db.session.commit()
    with pytest.raises(CapacityExceeded):
        services.enroll(session, teachers[2:])  # two more would make four
    db.session.rollback()
    enrolled = db.session.scalars(
        select(Enrollment.staff_id).where(Enrollment.session_id == session.id)
    ).all()
    assert sorted(enrolled) == sorted(t.id for t in teachers[:2])
    db.session.refresh(session)
    assert session.enrolled_count == 2
    services.enroll(session, [teachers[0], teachers[2]])  # one already on the roster
    db.session.commit()
    assert session.enrolled_count == 3


def test_attendance_round_trip_is_audited(db, make_session, teachers):
    from .. import factories

    session = make_session()
    services.enroll(session, teachers[:1])
    marker = factories.make_user("trainer", teachers[0].org_unit)
    services.record_attendance(session, teachers[0], "late", marked_by=marker)
    services.record_attendance(session, teachers[0], "present", marked_by=marker)
    db.session.commit()
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "attendance.mark").order_by(AuditEntry.id)
    ).all()
    assert [(e.details["old"], e.details["new"]) for e in entry] == [
        (None, "late"),
        ("late", "present"),
    ]
    assert all(e.user_id == marker.id for e in entry)
    row = db.session.scalar(select(Enrollment))
    assert row.status == "present" and row.marked_by_id == marker.id


def test_attendance_refuses_unknown_status_and_strangers(db, make_session, teachers):
    session = make_session()
    services.enroll(session, teachers[:1])
    with pytest.raises(InvalidInput):
        services.record_attendance(session, teachers[0], "sleeping")
    with pytest.raises(InvalidInput):
        services.record_attendance(session, teachers[1], "present")
    with pytest.raises(InvalidInput) as caught:
        services.record_attendance_many(session, [("T1", "present"), ("T2", "present")])
    assert caught.value.details["problems"] == [{"staff_code": "T2", "error": "not_enrolled"}]
    db.session.rollback()
    assert db.session.scalar(select(Enrollment.status)) is None


def test_mark_all_present_leaves_marked_ones(db, make_session, teachers):
    session = make_session(capacity=10)
    services.enroll(session, teachers)
    services.record_attendance(session, teachers[0], "excused")
    assert services.mark_all_present(session) == 3
    statuses = dict(db.session.execute(select(Enrollment.staff_id, Enrollment.status)).all())
    assert statuses[teachers[0].id] == "excused"
    assert sorted(statuses.values()) == ["excused", "present", "present", "present"]


def test_request_accept_and_decline(db, make_session, teachers):
    session = make_session(capacity=1)
    first = services.request_place(session, teachers[0])
    second = services.request_place(session, teachers[1])
    assert services.request_place(session, teachers[0]) is first
    services.decide_request(first, accept=True)
    assert first.status == "accepted" and session.enrolled_count == 1
    with pytest.raises(CapacityExceeded):
        services.decide_request(second, accept=True)
    with pytest.raises(InvalidInput):
        services.decide_request(second, accept=False, reason=" ")
    services.decide_request(second, accept=False, reason="Lớp đã đủ người")
    assert second.status == "declined" and second.reason == "Lớp đã đủ người"
