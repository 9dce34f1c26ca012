"""Staff states (coverage/states.py): how a period is cut, who the triggers note, and the
rebuild before commit, on both databases."""

from datetime import date

from sqlalchemy import delete, insert, select, update

from trainer.certificates.models import Certificate
from trainer.coverage import states
from trainer.coverage.breakdown import coverage_breakdown
from trainer.coverage.states import ALWAYS, OPEN, StaffState, in_force_span, states_of
from trainer.curriculum.models import CertificateLevel
from trainer.org.periods import StaffPeriod

from .. import factories

PERIOD = {
    "staff_id": 1,
    "valid_from": date(2025, 1, 1),
    "valid_to": None,
    "org_unit_id": 2,
    "position": "teacher",
    "gender": "female",
    "ethnicity": "Thái",
}


def spans(*rows):
    return [(first, after, rank) for first, after, rank in rows]


def cut(period, *rows):
    return [
        (s["valid_from"], s["valid_to"], s["held_rank"], s["change_on"], s["changed_rank"])
        for s in states_of(period, spans(*rows))
    ]


def test_a_period_without_certificates_is_one_state_with_sentinel_bounds():
    assert cut(PERIOD) == [(date(2025, 1, 1), OPEN, None, None, None)]
    assert cut(PERIOD | {"valid_from": None, "valid_to": date(2025, 6, 30)}) == [
        (ALWAYS, date(2025, 6, 30), None, None, None)
    ]


def test_a_certificate_issued_during_the_period_is_a_change_within_one_state():
    assert cut(PERIOD, (date(2025, 3, 1), None, 1)) == [
        (date(2025, 1, 1), OPEN, None, date(2025, 3, 1), 1)
    ]


def test_a_certificate_held_before_the_period_counts_from_its_first_day():
    assert cut(PERIOD, (date(2024, 3, 1), None, 1)) == [(date(2025, 1, 1), OPEN, 1, None, None)]


def test_three_ranks_in_a_period_make_two_states_and_the_highest_counts():
    rows = cut(
        PERIOD,
        (date(2025, 2, 1), None, 1),
        (date(2025, 5, 1), date(2025, 9, 1), 2),  # advanced, in force until September
    )
    assert rows == [
        (date(2025, 1, 1), date(2025, 4, 30), None, date(2025, 2, 1), 1),
        (date(2025, 5, 1), OPEN, 2, date(2025, 9, 1), 1),
    ]


def test_a_certificate_replaced_by_one_of_the_same_rank_is_no_change():
    rows = cut(PERIOD, (date(2025, 2, 1), date(2025, 6, 1), 1), (date(2025, 6, 1), None, 1))
    assert rows == [(date(2025, 1, 1), OPEN, None, date(2025, 2, 1), 1)]


def test_changes_after_the_period_ends_are_left_out():
    period = PERIOD | {"valid_to": date(2025, 6, 30)}
    assert cut(period, (date(2025, 7, 1), None, 1)) == [
        (date(2025, 1, 1), date(2025, 6, 30), None, None, None)
    ]


def test_in_force_spans_follow_revocation_and_expiry():
    day = date(2025, 3, 1)
    assert in_force_span(day, "valid", None, None) == (day, None)
    assert in_force_span(day, "valid", None, date(2026, 3, 1)) == (day, date(2026, 3, 1))
    assert in_force_span(day, "revoked", date(2025, 5, 1), None) == (day, date(2025, 5, 1))
    assert in_force_span(day, "revoked", date(2025, 5, 1), date(2025, 4, 1)) == (
        day,
        date(2025, 4, 1),
    )
    # a revocation without a date counts from the start; one on the day of issue too
    assert in_force_span(day, "revoked", None, None) is None
    assert in_force_span(day, "revoked", day, None) is None
    # a superseded certificate stays in force (as in ``in_force_on``: only a revocation ends one)
    assert in_force_span(day, "superseded", date(2025, 5, 1), None) == (day, None)


def stale(db):
    return set(db.session.scalars(select(states.StaleStaffState.staff_id)))


def state_rows(db, person):
    return db.session.execute(
        select(StaffState.valid_from, StaffState.held_rank, StaffState.change_on)
        .where(StaffState.staff_id == person.id)
        .order_by(StaffState.valid_from)
    ).all()


def certificate(db, person, issued=date(2026, 1, 1), code="basic", **fields):
    level = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == code))
    cert = Certificate(
        number=f"N{person.id}-{code}",
        issuer_key="X",
        issuer="X",
        external=True,
        staff_id=person.id,
        level_id=level.id,
        issued_on=issued,
        status="valid",
        **fields,
    )
    db.session.add(cert)
    return cert


def test_a_committed_session_leaves_every_state_rebuilt(db, tree):
    person = factories.make_staff(tree["DB-A-S1"], "Lò Thị Mai")
    db.session.commit()
    assert stale(db) == set()
    assert [(rank, change) for _f, rank, change in state_rows(db, person)] == [(None, None)]
    cert = certificate(db, person)
    db.session.flush()
    assert stale(db) == {person.id}  # the trigger noted the new certificate's holder
    db.session.commit()
    assert stale(db) == set()
    assert [(rank, change) for _f, rank, change in state_rows(db, person)] == [
        (None, date(2026, 1, 1))
    ]
    # revoking it changes the states; printing it again does not
    cert.printed_name = "Lò Thị Mai (in lại)"
    db.session.flush()
    assert stale(db) == set()
    cert.status, cert.revoked_on = "revoked", date(2026, 3, 1)
    db.session.commit()
    assert stale(db) == set()
    # held from January to the end of February, then not
    assert state_rows(db, person) == [
        (ALWAYS, None, date(2026, 1, 1)),
        (date(2026, 3, 1), None, None),
    ]
    first = db.session.scalar(
        select(StaffState)
        .where(StaffState.staff_id == person.id)
        .order_by(StaffState.valid_from)
        .limit(1)
    )
    assert (first.changed_rank, first.valid_to) == (1, date(2026, 2, 28))


def test_statements_outside_the_orm_units_of_work_are_noted_and_rebuilt(db, tree):
    people = [factories.make_staff(tree["DB-A-S1"], f"Người {i}") for i in range(3)]
    db.session.commit()
    # a bulk update of the periods' copies, a bulk delete, a bulk insert
    db.session.execute(
        update(StaffPeriod).where(StaffPeriod.staff_id == people[0].id).values(ethnicity="Kinh")
    )
    db.session.execute(delete(StaffPeriod).where(StaffPeriod.staff_id == people[1].id))
    db.session.execute(
        insert(StaffPeriod.__table__),
        [
            {
                "staff_id": people[1].id,
                "valid_from": date(2025, 1, 1),
                "valid_to": None,
                "org_unit_id": tree["DB-B-S1"].id,
                "position": "teacher",
                "status": "active",
            }
        ],
    )
    assert stale(db) == {people[0].id, people[1].id}
    db.session.commit()
    assert stale(db) == set()
    units = dict(db.session.execute(select(StaffState.staff_id, StaffState.org_unit_id)).all())
    assert units[people[1].id] == tree["DB-B-S1"].id
    assert (
        db.session.scalar(select(StaffState.ethnicity).where(StaffState.staff_id == people[0].id))
        == "Kinh"
    )


def test_a_level_whose_rank_changes_marks_its_holders(db, tree):
    holder, other = (factories.make_staff(tree["DB-A-S1"], f"Người {i}") for i in range(2))
    certificate(db, holder, code="advanced")
    db.session.commit()
    level = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "advanced"))
    level.rank = 5
    db.session.flush()
    assert stale(db) == {holder.id}
    db.session.commit()
    assert state_rows(db, holder)[0].change_on == date(2026, 1, 1)
    assert (
        db.session.scalar(select(StaffState.changed_rank).where(StaffState.staff_id == holder.id))
        == 5
    )


def test_a_breakdown_with_stale_people_counts_from_periods_and_holders(db, tree):
    people = [factories.make_staff(tree["DB-A-S1"], f"Người {i}") for i in range(3)]
    db.session.commit()
    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    certificate(db, people[0], issued=date(2026, 1, 1))
    db.session.flush()  # not committed: the holder's states are stale
    assert not states.fresh(db.session)
    (row,) = coverage_breakdown(tree["DB"], basic, date(2026, 6, 1), ["position"])
    assert (row["staff_total"], row["certified"]) == (3, 1)
    db.session.commit()
    assert states.fresh(db.session)
    assert coverage_breakdown(tree["DB"], basic, date(2026, 6, 1), ["position"]) == [row]


def test_rebuild_makes_the_same_states_as_the_rebuild_before_commit(db, tree):
    people = [factories.make_staff(tree["DB-A-S1"], f"Người {i}") for i in range(3)]
    certificate(db, people[0], issued=date(2025, 1, 1))
    certificate(db, people[0], issued=date(2026, 1, 1), code="advanced")
    certificate(db, people[1], issued=date(2026, 2, 1), expires_on=date(2026, 8, 1))
    db.session.commit()
    columns = [c for c in StaffState.__table__.c if c.name != "id"]

    def everyone():
        return sorted(db.session.execute(select(*columns)).all(), key=repr)

    before = everyone()
    states.rebuild(db.session)
    assert everyone() == before
    # none, basic, advanced: two states; none, basic, expired: two; no certificate: one
    assert len(before) == 5
