"""Vietnamese order of names: given name, then middle and family names; đ after d, a tone after
its bare letter, case ignored (issue 20, item 9)."""

import csv
import io
import re

from trainer.org.text import name_sort_key

from .. import factories

# The expected order, written out by hand.
ORDERED = [
    "Lò Thị Anh",  # given names: Anh, Anh (tone-less first), Ánh, Ân, Dương, Đào, Đức
    "Nguyễn Văn Anh",
    "Dương Thị Ánh",
    "Vì Thị Ân",
    "Đào Văn Dương",
    "Dương Văn Đào",
    "Quàng Văn Đức",
]


def test_given_name_first_then_middle_then_family():
    assert sorted(reversed(ORDERED), key=name_sort_key) == ORDERED


def test_letters_in_vietnamese_order():
    def order(*words):
        return sorted(words, key=name_sort_key)

    assert order("Đào", "Dương", "Dung") == ["Dung", "Dương", "Đào"]  # d < đ
    assert order("Ân", "Ánh", "Anh", "Ăn") == ["Anh", "Ánh", "Ăn", "Ân"]  # a < ă < â
    assert order("Hương", "Hưng", "Hùng") == ["Hùng", "Hưng", "Hương"]  # u < ư; n < ơ
    assert order("Má", "Mà", "Ma", "Mạ", "Mã", "Mả") == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert order("An", "Anh") == ["An", "Anh"]  # a prefix first


def test_case_and_spacing_do_not_matter():
    assert name_sort_key("ĐÀO văn  AN") == name_sort_key("Đào Văn An")
    assert name_sort_key("An") < name_sort_key("Ba")


def test_the_key_sorts_alike_in_every_database_collation():
    """Digits only: PostgreSQL's locale collation orders it as SQLite's bytes do."""
    assert re.fullmatch(r"[0-9]+", name_sort_key("Nguyễn Thị Ánh Đào-Lê"))


def test_staff_list_and_export_in_vietnamese_order(client, login_as, db, tree):
    for name in reversed(ORDERED):
        factories.make_staff(tree["DB-A-S2"], name)
    db.session.commit()
    login_as("admin")
    page = client.get("/staff?org=DB-A-S2").get_data(as_text=True)
    assert [n for n in sorted(ORDERED, key=page.find)] == ORDERED
    assert all(name in page for name in ORDERED)
    exported = client.get("/staff/export.csv?org=DB-A-S2&format=csv-plain").get_data(as_text=True)
    names = [row[1] for row in csv.reader(io.StringIO(exported.lstrip("\ufeff")))]
    assert [n for n in names if n in ORDERED] == ORDERED


def test_renaming_moves_the_person(db, tree):
    person = factories.make_staff(tree["DB-A-S2"], "Lò Văn Anh")
    before = person.sort_key
    person.rename("Lò Văn Ân")
    assert person.sort_key > before and person.sort_key == name_sort_key("Lò Văn Ân")
