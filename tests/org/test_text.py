"""Names are NFC and search keys fold Vietnamese accents, đ included."""

import unicodedata

import pytest

from trainer.org.text import clean_name, fold


@pytest.mark.parametrize(
    "name, key",
    [
        ("Nguyễn Tiến Thắng", "nguyen tien thang"),
        ("Đặng Văn Đức", "dang van duc"),
        ("Quàng Văn Đức", "quang van duc"),
        ("Lò Thị Hương", "lo thi huong"),
        ("  ĐIÊU   Chính  Ẳng ", "dieu chinh ang"),
    ],
)
def test_fold(name, key):
    assert fold(name) == key


def test_clean_name_makes_nfc_and_collapses_spaces():
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Tiến\tThắng ")
    cleaned = clean_name(decomposed)
    assert cleaned == "Nguyễn Tiến Thắng"
    assert unicodedata.is_normalized("NFC", cleaned)
    assert fold(decomposed) == "nguyen tien thang"
