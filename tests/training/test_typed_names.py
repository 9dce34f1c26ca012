"""Issue 20 leftover 4: a unit or person's name typed in a picker field without choosing a
suggestion (JavaScript off) is taken when it names exactly one in the user's scope; when it
names several, the field's error lists up to five with their codes."""

import re

import pytest
from sqlalchemy import select

from trainer.training.models import Enrollment, TrainingSession

from .. import factories
from .test_views import schedule, sign_in, trainer_user


@pytest.fixture
def schools(db, tree):
    made = {
        "thcs": factories.make_unit(
            "DB-A-HUOIMI-THCS", "Trường THCS Huổi Mí", "school", tree["DB-A"]
        ),
        "th": factories.make_unit(
            "DB-A-HUOIMI-TH", "Trường Tiểu học Huổi Mí", "school", tree["DB-A"]
        ),
        "other": factories.make_unit(
            "DB-B-HUOIMI-MN", "Trường Mầm non Huổi Mí", "school", tree["DB-B"]
        ),
    }
    db.session.commit()
    return made


def error_of(page):
    return re.sub(r"\s+", " ", " ".join(re.findall(r'<p class="error"[^>]*>([^<]+)</p>', page)))


@pytest.mark.parametrize("typed", ["Trường THCS Huổi Mí", "truong thcs huoi mi", "thcs huoi mi"])
def test_a_venue_typed_by_name_is_that_unit(
    client, db, tree, module, trainer_staff, schools, typed
):
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    response = schedule(client, module, trainer_staff, venue=typed)
    assert response.status_code == 302, error_of(response.get_data(as_text=True))
    session = db.session.scalar(select(TrainingSession))
    assert session.org_unit.code == "DB-A-HUOIMI-THCS"


def test_a_name_matching_several_lists_them_with_their_codes(
    client, db, tree, module, trainer_staff, schools
):
    trainer_user(db, tree, trainer_staff)  # a trainer of DB-A: DB-B's school is not theirs
    sign_in(client, "gv@example.vn")
    response = schedule(client, module, trainer_staff, venue="huoi mi")
    page = response.get_data(as_text=True)
    assert response.status_code != 302 and db.session.scalar(select(TrainingSession)) is None
    error = error_of(page)
    assert "Trường THCS Huổi Mí (DB-A-HUOIMI-THCS)" in error
    assert "Trường Tiểu học Huổi Mí (DB-A-HUOIMI-TH)" in error
    assert "DB-B-HUOIMI-MN" not in error  # outside the trainer's scope
    assert "Unknown unit code" not in page and "Không có mã đơn vị" not in page
    # nothing in scope: still the unknown code's error, and a code is still a code
    unknown = schedule(client, module, trainer_staff, venue="Trường không có").get_data(
        as_text=True
    )
    assert "Trường không có" in unknown and db.session.scalar(select(TrainingSession)) is None
    assert schedule(client, module, trainer_staff, venue="DB-A-S1").status_code == 302


def test_at_most_five_matches_are_listed(client, db, tree, login_as):
    for i in range(7):
        factories.make_unit(f"DB-A-NA{i}", f"Trường Nà Hỳ {i}", "school", tree["DB-A"])
    db.session.commit()
    login_as("admin")
    answer = client.get("/coverage?org=na+hy&lang=en")
    error = error_of(answer.get_data(as_text=True))
    assert answer.status_code == 400
    assert len(re.findall(r"\(DB-A-NA\d\)", error)) == 5 and "Several match" in error


def test_list_filters_take_a_typed_name(client, db, tree, login_as, schools):
    login_as("admin")
    one = client.get("/coverage?org=thcs+huoi+mi").get_data(as_text=True)
    assert 'value="DB-A-HUOIMI-THCS"' in one and not error_of(one)
    assert client.get("/staff?org=thcs+huoi+mi").status_code == 200
    several = client.get("/staff?org=huoi+mi&lang=en")
    assert several.status_code == 400 and "(DB-B-HUOIMI-MN)" in error_of(
        several.get_data(as_text=True)
    )
    assert client.get("/staff/export.csv?org=huoi+mi").status_code == 400
    assert client.get("/sessions?org=huoi+mi").status_code == 400


def test_a_trainer_typed_by_name_in_the_session_filter(client, db, tree, login_as):
    factories.make_staff(tree["DB-A-S1"], "Đặng Văn Đức", staff_code="A100")
    factories.make_staff(tree["DB-B-S1"], "Đặng Văn Đức", staff_code="B100")
    factories.make_staff(tree["DB-A-S2"], "Nguyễn Tiến Thắng", staff_code="A200")
    db.session.commit()
    login_as("admin")
    assert client.get("/sessions?trainer=nguyen+tien+thang").status_code == 200
    several = client.get("/sessions?trainer=dang+van+duc&lang=en")
    error = error_of(several.get_data(as_text=True))
    assert several.status_code == 400
    assert "Đặng Văn Đức (A100)" in error and "Đặng Văn Đức (B100)" in error


def test_enrol_a_whole_school_typed_by_name(client, db, tree, login_as, make_session, schools):
    teacher = factories.make_staff(schools["thcs"], "Lò Thị Hương")
    session = make_session()
    db.session.commit()
    login_as("admin")
    answer = client.post(f"/sessions/{session.id}/enroll", data={"school": "thcs huoi mi"})
    assert answer.status_code == 302
    enrolled = db.session.scalars(select(Enrollment.staff_id)).all()
    assert enrolled == [teacher.id]
    client.post(f"/sessions/{session.id}/enroll", data={"school": "huoi mi"})
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "Có nhiều kết quả khớp với “huoi mi”" in page and "(DB-A-HUOIMI-TH)" in page
    assert db.session.scalars(select(Enrollment.staff_id)).all() == [teacher.id]
