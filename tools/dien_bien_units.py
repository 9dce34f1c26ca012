"""Generate trainer/demo/data/dien_bien_units.csv: Điện Biên's administrative units before and
after the reform of 1 July 2025 (Resolution 1661/NQ-UBTVQH15 of 16/6/2025).

Run once, by hand, in a throwaway virtual environment (the packages are not dependencies of
the app):

    python -m venv /tmp/units && /tmp/units/bin/pip install vietnamadminunits==1.0.4
    /tmp/units/bin/python tools/dien_bien_units.py

Source: the PyPI package ``vietnamadminunits`` (its SQLite ``dataset.db`` holds the 63-province
units until 30/06/2025 with their GSO codes and the 34-province units from 01/07/2025; its
``converter_2025.json`` says which old commune merged into which new one). The script refuses
to write unless it finds exactly 10 districts, 129 old communes and 45 new ones, every old
commune merged into exactly one new one.

Columns (ready for the org-unit import of SPEC section 9): code, name, kind, parent_code,
valid_from, valid_to (last day in force), successor_code, gso_code (the statistics office's
code, for reference).
"""

import csv
import json
import sqlite3
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "trainer" / "demo" / "data" / "dien_bien_units.csv"
LAST_OLD_DAY, FIRST_NEW_DAY = "2025-06-30", "2025-07-01"
# our district codes (the demo's since the start), by the district's name
DISTRICT_CODES = {
    "Thành phố Điện Biên Phủ": "DBP",
    "Thị xã Mường Lay": "MLA",
    "Huyện Điện Biên": "DBI",
    "Huyện Điện Biên Đông": "DBD",
    "Huyện Mường Ảng": "MAN",
    "Huyện Mường Chà": "MCH",
    "Huyện Mường Nhé": "MNH",
    "Huyện Nậm Pồ": "NPO",
    "Huyện Tủa Chùa": "TCH",
    "Huyện Tuần Giáo": "TGI",
}


def nfc(text):
    return unicodedata.normalize("NFC", text).strip()


def code_part(name):
    """Upper-case ASCII letters of a Vietnamese name: "Sa Lông" → "SALONG"."""
    text = nfc(name).replace("đ", "d").replace("Đ", "D")
    plain = "".join(
        ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)
    )
    return "".join(ch for ch in plain.upper() if ch.isalnum())


def source_files():
    import vietnamadminunits

    base = Path(vietnamadminunits.__file__).parent / "data"
    return base / "dataset.db", base / "converter_2025.json"


def load():
    database, converter = source_files()
    with sqlite3.connect(database) as conn:
        old = conn.execute(
            "SELECT DISTINCT district, ward, wardShort, wardType, wardCode, districtKey, wardKey "
            "FROM admin_units_legacy WHERE provinceKey = 'tinhdienbien' "
            "ORDER BY districtCode, wardCode"
        ).fetchall()
        new = conn.execute(
            "SELECT DISTINCT ward, wardShort, wardType, wardCode, wardKey FROM admin_units "
            "WHERE provinceKey = 'tinhdienbien' ORDER BY wardCode"
        ).fetchall()
    merged = json.loads(converter.read_text())["DICT_PROVINCE_WARD_NO_DIVIDED"]["tinhdienbien"]
    return old, new, merged


def build_rows():
    old, new, merged = load()
    districts = {}
    for district, *_rest in old:
        name = nfc(district).replace("Thị Xã", "Thị xã")
        districts.setdefault(name, DISTRICT_CODES[name])
    if (len(districts), len(old), len(new)) != (10, 129, 45):
        sys.exit(
            f"unexpected counts: {len(districts)} districts, {len(old)} old communes, "
            f"{len(new)} new communes"
        )
    new_code = {}
    rows = [{"code": "DB", "name": "Tỉnh Điện Biên", "kind": "province"}]
    for _ward, short, _type, _gso, key in new:
        code = f"DB-{code_part(short)}"
        if code in new_code.values() or code in {f"DB-{c}" for c in DISTRICT_CODES.values()}:
            sys.exit(f"code clash {code}")
        new_code[key] = code
    successor = {}
    for key, old_keys in merged.items():
        for old_key in old_keys:
            if old_key in successor:
                sys.exit(f"{old_key} merged twice")
            successor[old_key] = new_code[key]
    for name, dcode in districts.items():
        rows.append(
            {
                "code": f"DB-{dcode}",
                "name": name,
                "kind": "district",
                "parent_code": "DB",
                "valid_to": LAST_OLD_DAY,
            }
        )
    seen = set()
    for district, ward, short, _type, gso, district_key, ward_key in old:
        dcode = districts[nfc(district).replace("Thị Xã", "Thị xã")]
        code = f"DB-{dcode}-{code_part(short)}"
        if code in seen:
            sys.exit(f"code clash {code}")
        seen.add(code)
        rows.append(
            {
                "code": code,
                "name": nfc(ward),
                "kind": "commune",
                "parent_code": f"DB-{dcode}",
                "valid_to": LAST_OLD_DAY,
                "successor_code": successor[f"tinhdienbien_{district_key}_{ward_key}"],
                "gso_code": gso,
            }
        )
    if len(successor) != 129:
        sys.exit(f"{len(successor)} old communes have a successor, not 129")
    for ward, _short, _type, gso, key in new:
        rows.append(
            {
                "code": new_code[key],
                "name": nfc(ward),
                "kind": "commune",
                "parent_code": "DB",
                "valid_from": FIRST_NEW_DAY,
                "gso_code": gso,
            }
        )
    return rows


COLUMNS = (
    "code",
    "name",
    "kind",
    "parent_code",
    "valid_from",
    "valid_to",
    "successor_code",
    "gso_code",
)


def main():
    rows = build_rows()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in COLUMNS})
    print(f"wrote {len(rows)} units to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
