"""QR self check-in: every refusal, and the late rule with a frozen clock."""

from datetime import timedelta

import pytest

from trainer.training import services
from trainer.training.checkin import check_in, current_codes, find_session_for_code
from trainer.training.errors import CheckInRefused

SECRET = "test-secret"


@pytest.fixture
def running(db, make_session, teachers):
    session = make_session(start=24, hours=2, capacity=5, late_after_minutes=10)
    services.enroll(session, teachers[:2])
    db.session.commit()
    return session


def code_at(session, moment, short=False):
    token, code, _ = current_codes(session, SECRET, moment)
    return code if short else token


def test_on_time_is_present_and_after_grace_is_late(db, running, teachers):
    start = running.starts_at
    on_time = start + timedelta(minutes=9)
    assert (
        check_in(running, teachers[0], code_at(running, on_time), secret=SECRET, now=on_time).status
        == "present"
    )
    late = start + timedelta(minutes=11)
    row = check_in(
        running, teachers[1], code_at(running, late, short=True), secret=SECRET, now=late
    )
    assert row.status == "late" and row.checked_in_at == late


def test_early_arrival_within_the_window(db, running, teachers):
    early = running.starts_at - timedelta(minutes=20)
    assert (
        check_in(running, teachers[0], code_at(running, early), secret=SECRET, now=early).status
        == "present"
    )


@pytest.mark.parametrize("offset", [timedelta(minutes=-31), timedelta(hours=2, minutes=1)])
def test_outside_the_window(db, running, teachers, offset):
    moment = running.starts_at + offset
    with pytest.raises(CheckInRefused) as caught:
        check_in(running, teachers[0], code_at(running, moment), secret=SECRET, now=moment)
    assert caught.value.message == CheckInRefused.OUTSIDE_WINDOW


def test_not_enrolled(db, running, teachers):
    moment = running.starts_at
    with pytest.raises(CheckInRefused) as caught:
        check_in(running, teachers[3], code_at(running, moment), secret=SECRET, now=moment)
    assert caught.value.message == CheckInRefused.NOT_ENROLLED


def test_expired_code(db, running, teachers):
    shown = running.starts_at
    later = shown + timedelta(seconds=95)  # three steps on: too old
    with pytest.raises(CheckInRefused) as caught:
        check_in(running, teachers[0], code_at(running, shown), secret=SECRET, now=later)
    assert caught.value.message == CheckInRefused.EXPIRED_CODE
    just_changed = shown + timedelta(seconds=31)  # the previous code still works
    assert check_in(running, teachers[0], code_at(running, shown), secret=SECRET, now=just_changed)


def test_code_of_another_session_or_secret_is_refused(db, running, make_session, teachers):
    other = make_session(start=30)
    moment = running.starts_at
    with pytest.raises(CheckInRefused):
        check_in(running, teachers[0], code_at(other, moment), secret=SECRET, now=moment)
    forged = current_codes(running, "another-secret", moment)[0]
    with pytest.raises(CheckInRefused):
        check_in(running, teachers[0], forged, secret=SECRET, now=moment)


def test_second_check_in(db, running, teachers):
    moment = running.starts_at
    check_in(running, teachers[0], code_at(running, moment), secret=SECRET, now=moment)
    with pytest.raises(CheckInRefused) as caught:
        check_in(running, teachers[0], code_at(running, moment), secret=SECRET, now=moment)
    assert caught.value.message == CheckInRefused.ALREADY


def test_codes_change_every_thirty_seconds(db, running):
    moment = running.starts_at  # on the hour: the start of a 30-second step
    first = current_codes(running, SECRET, moment)
    assert current_codes(running, SECRET, moment + timedelta(seconds=29))[:2] == first[:2]
    assert current_codes(running, SECRET, moment + timedelta(seconds=30))[:2] != first[:2]
    assert len(first[1]) == 6 and first[1].isdigit()
    assert first[2] == 30


def test_typed_code_finds_the_session(db, running):
    moment = running.starts_at
    code = code_at(running, moment, short=True)
    assert find_session_for_code([running], SECRET, code, moment) is running
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert find_session_for_code([running], SECRET, wrong, moment) is None
