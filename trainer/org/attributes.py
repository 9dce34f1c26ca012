"""Attributes that national reports need: school levels and Vietnam's 54 ethnic groups."""

import re
from enum import StrEnum

from .text import clean_name, fold


class SchoolLevel(StrEnum):
    """The level of education a school (or centre) provides."""

    MAM_NON = "mam_non"  # preschool
    TIEU_HOC = "tieu_hoc"  # primary
    THCS = "thcs"  # lower secondary
    THPT = "thpt"  # upper secondary
    LIEN_CAP = "lien_cap"  # several levels in one school (e.g. PTDTBT TH&THCS)
    GDTX = "gdtx"  # continuing education centre
    OTHER = "other"


# The Vietnamese spellings that spreadsheets use, folded (see ``fold_label``).
SCHOOL_LEVEL_ALIASES = {
    **{level.value.replace("_", " "): level.value for level in SchoolLevel},
    "mam non": "mam_non",
    "mau giao": "mam_non",
    "nha tre": "mam_non",
    "mn": "mam_non",
    "tieu hoc": "tieu_hoc",
    "th": "tieu_hoc",
    "trung hoc co so": "thcs",
    "trung hoc pho thong": "thpt",
    "lien cap": "lien_cap",
    "th thcs": "lien_cap",
    "thcs thpt": "lien_cap",
    "ptdtbt th thcs": "lien_cap",
    "pho thong nhieu cap hoc": "lien_cap",
    "giao duc thuong xuyen": "gdtx",
    "gdnn gdtx": "gdtx",
    "trung tam gdnn gdtx": "gdtx",
    "khac": "other",
}

ETHNIC_GROUPS = (
    "Kinh",
    "Tày",
    "Thái",
    "Mường",
    "Khmer",
    "Hoa",
    "Nùng",
    "Mông",
    "Dao",
    "Gia Rai",
    "Ê Đê",
    "Ba Na",
    "Sán Chay",
    "Chăm",
    "Cơ Ho",
    "Xơ Đăng",
    "Sán Dìu",
    "Hrê",
    "Ra Glai",
    "Mnông",
    "Thổ",
    "Xtiêng",
    "Khơ Mú",
    "Bru - Vân Kiều",
    "Cơ Tu",
    "Giáy",
    "Tà Ôi",
    "Mạ",
    "Giẻ Triêng",
    "Co",
    "Chơ Ro",
    "Xinh Mun",
    "Hà Nhì",
    "Chu Ru",
    "Lào",
    "La Chí",
    "Kháng",
    "Phù Lá",
    "La Hủ",
    "La Ha",
    "Pà Thẻn",
    "Lự",
    "Ngái",
    "Chứt",
    "Lô Lô",
    "Mảng",
    "Cơ Lao",
    "Bố Y",
    "Cống",
    "Si La",
    "Pu Péo",
    "Rơ Măm",
    "Brâu",
    "Ơ Đu",
)
"""The 54 ethnic groups of Vietnam (the General Statistics Office's list), Kinh first."""
KINH = "Kinh"

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold_label(value):
    """A header or label reduced to folded words: "Mã định danh Bộ GD&ĐT" → "ma dinh danh bo
    gd dt"; text in brackets is dropped ("Ngày sinh (dd/mm/yyyy)" → "ngay sinh")."""
    text = re.sub(r"\([^)]*\)", " ", clean_name(value))
    return _NOT_WORD.sub(" ", fold(text)).strip()


ETHNICITY_ALIASES = {
    **{fold_label(name): name for name in ETHNIC_GROUPS},
    "viet": "Kinh",
    "h mong": "Mông",
    "hmong": "Mông",
    "meo": "Mông",
    "kho mu": "Khơ Mú",
    "kh mu": "Khơ Mú",
    "bru van kieu": "Bru - Vân Kiều",
    "van kieu": "Bru - Vân Kiều",
    "e de": "Ê Đê",
    "ede": "Ê Đê",
    "gia lai": "Gia Rai",
    "jrai": "Gia Rai",
    "bahnar": "Ba Na",
    "khome": "Khmer",
    "kho me": "Khmer",
    "thai den": "Thái",
    "thai trang": "Thái",
    "ha nhi den": "Hà Nhì",
}


def is_ethnic_minority(ethnicity):
    """True for a given ethnicity other than Kinh, False for Kinh, None when unknown."""
    if not ethnicity:
        return None
    return ethnicity != KINH
