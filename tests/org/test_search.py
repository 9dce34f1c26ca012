"""Accent-insensitive name search through the indexed key, on both databases."""

import pytest
from sqlalchemy import select

from trainer.accounts.scope import Scope
from trainer.org.models import Staff
from trainer.org.services import search_condition, staff_query

from .. import factories

NAMES = ["Nguyễn Tiến Thắng", "Đặng Văn Đức", "Quàng Văn Đức", "Lò Thị Hương", "Nguyễn Thị Thanh"]


@pytest.fixture
def people(db, tree):
    staff = [factories.make_staff(tree["DB-A-S1"], name) for name in NAMES]
    db.session.commit()
    return staff


def found(db, query):
    return sorted(db.session.scalars(select(Staff.full_name).where(search_condition(query))))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("thang", ["Nguyễn Tiến Thắng"]),
        ("THẮNG", ["Nguyễn Tiến Thắng"]),
        ("dang van duc", ["Đặng Văn Đức"]),
        ("Đức", ["Quàng Văn Đức", "Đặng Văn Đức"]),
        ("duc van", ["Quàng Văn Đức", "Đặng Văn Đức"]),  # words in any order
        ("huong", ["Lò Thị Hương"]),
        ("nguyen thi", ["Nguyễn Thị Thanh"]),
        ("xyz", []),
        ("100%", []),  # LIKE wildcards are escaped
        ("_", []),
    ],
)
def test_accent_insensitive_search(db, people, query, expected):
    assert found(db, query) == sorted(expected)


def test_search_by_staff_code(db, people):
    code = people[0].staff_code
    assert found(db, code.lower()) == [people[0].full_name]


def test_search_respects_scope(db, tree, people):
    factories.make_staff(tree["DB-B-S1"], "Nguyễn Văn Thắng")
    manager = factories.make_user("manager", tree["DB-A"])
    names = [s.full_name for s in db.session.scalars(staff_query(Scope(manager), q="thang"))]
    assert names == ["Nguyễn Tiến Thắng"]


def test_search_key_is_indexed(db):
    from sqlalchemy import inspect

    indexes = inspect(db.engine).get_indexes("staff")
    assert any(ix["column_names"] == ["search_key"] for ix in indexes)


def test_words_follow_a_rename_through_the_orm(db, people):
    person = people[0]
    person.rename("Nguyễn Tiến Thành")
    db.session.commit()
    assert found(db, "thang") == []
    assert found(db, "thanh") == ["Nguyễn Thị Thanh", "Nguyễn Tiến Thành"]


def test_words_follow_an_import_update(db, tree, people):
    from trainer.imports import importer_for
    from trainer.imports.base import run_import

    code = people[1].staff_code
    data = f"staff_code,full_name,org_code,position\n{code},Đặng Văn Định,DB-A-S1,teacher\n"
    assert run_import(importer_for("staff"), "s.csv", data.encode()).updated == 1
    db.session.commit()
    assert found(db, "duc") == ["Quàng Văn Đức"]
    assert found(db, "dinh") == ["Đặng Văn Định"]


def test_prefix_of_a_word_matches_but_not_the_middle(db, people):
    assert found(db, "tha") == ["Nguyễn Thị Thanh", "Nguyễn Tiến Thắng"]
    assert found(db, "hang") == []


def test_punctuation_is_not_part_of_words(db, tree):
    factories.make_staff(tree["DB-A-S1"], "Lò-Văn (Bé) Hà")
    db.session.commit()
    assert found(db, "be") == ["Lò-Văn (Bé) Hà"]
    assert found(db, "lo van") == ["Lò-Văn (Bé) Hà"]
