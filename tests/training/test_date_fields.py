"""Dates typed and shown dd/mm/yyyy whatever the browser's language (issue 20, item 10);
ISO still read (links, the API, scripts)."""

from datetime import date

import pytest
from sqlalchemy import select

from trainer.bounds import read_day
from trainer.training.models import TrainingSession

from .test_views import schedule, sign_in, trainer_user


@pytest.mark.parametrize(
    "text, day",
    [
        ("30/11/2026", date(2026, 11, 30)),
        (" 4/3/2030 ", date(2030, 3, 4)),
        ("04-03-2030", date(2030, 3, 4)),
        ("04.03.2030", date(2030, 3, 4)),
        ("2030-03-04", date(2030, 3, 4)),
    ],
)
def test_a_day_is_read_day_first_or_iso(text, day):
    assert read_day(text) == day


@pytest.mark.parametrize("text", ["31/02/2026", "2026/11/30", "11/30/2026", "30/11", "hôm nay"])
def test_what_is_not_a_day_is_refused(text):
    with pytest.raises(ValueError):
        read_day(text)


def test_the_schedule_form_takes_a_day_month_year_date(client, db, tree, module, trainer_staff):
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    form = client.get("/sessions/new").get_data(as_text=True)
    assert 'type="date"' not in form
    assert 'inputmode="numeric"' in form and 'placeholder="dd/mm/yyyy"' in form
    assert schedule(client, module, trainer_staff, day="04/03/2030").status_code == 302
    session = db.session.scalar(select(TrainingSession))
    assert session.starts_at.date() == date(2030, 3, 4)  # 08:00 in Vietnam, 01:00 UTC


def test_a_bad_date_is_the_fields_error_and_nothing_is_scheduled(
    client, db, tree, module, trainer_staff
):
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    page = schedule(client, module, trainer_staff, day="31/02/2030")
    assert page.status_code in (200, 422)
    assert "Ngày không hợp lệ: hãy viết dạng ngày/tháng/năm" in page.get_data(as_text=True)
    assert db.session.scalar(select(TrainingSession)) is None


def test_list_filters_show_the_date_day_first_whatever_was_sent(client, db, tree, trainer_staff):
    trainer_user(db, tree, trainer_staff)
    sign_in(client, "gv@example.vn")
    for sent in ("2030-03-04", "04/03/2030"):
        page = client.get(f"/sessions?when=all&date_from={sent}").get_data(as_text=True)
        assert 'value="04/03/2030"' in page, sent
    assert client.get("/sessions?date_from=31/02/2030").status_code == 400
