"""The report pack: every figure equals the API's, in the XLSX and in the PDF (item 5)."""

import io
import subprocess

from openpyxl import load_workbook

from trainer.accounts.services import issue_token

from .. import factories
from ..api.test_year_on_year import people
from .test_completeness import world

SHEETS = [
    "Tổng hợp",
    "Phân tích",
    "Theo đơn vị",
    "Trình độ",
    "Hoạt động bồi dưỡng",
    "Chưa có chứng chỉ",
    "Độ đầy đủ dữ liệu",
]


def fetch_pack(client, fmt, query="org=DB&level=basic&as_of=2026-06-30"):
    started = client.post(f"/coverage/pack.{fmt}?{query}")
    assert started.status_code == 302 and started.location.startswith("/jobs/")
    page = client.get(started.location).get_data(as_text=True)
    assert "Bộ báo cáo" in page
    return client.get(started.location + "/file")


def api_get(client, db, tree, path):
    token = issue_token(factories.make_user("admin", tree["DB"]))
    db.session.commit()
    return client.get(path, headers={"Authorization": f"Bearer {token}"}).get_json()


def test_every_figure_of_the_xlsx_equals_the_apis(client, login_as, db, tree):
    people(db, tree)
    world(db, tree)
    login_as("admin")
    book = load_workbook(io.BytesIO(fetch_pack(client, "xlsx").get_data()))
    assert book.sheetnames == SHEETS
    coverage = api_get(client, db, tree, "/api/v1/coverage?org=DB&as_of=2026-06-30")
    units = list(book["Theo đơn vị"].iter_rows(min_row=2, values_only=True))
    expected = [coverage, *coverage["children"]]
    assert [(r[0], r[2], r[3], r[4]) for r in units] == [
        (c["org"], c["staff_total"], c["certified"], c["percent"]) for c in expected
    ]
    summary = dict(book["Tổng hợp"].iter_rows(min_row=2, values_only=True))
    assert (summary["Cán bộ"], summary["Đã có chứng chỉ"], summary["Tỷ lệ"]) == (
        coverage["staff_total"],
        coverage["certified"],
        coverage["percent"],
    )
    breakdowns = list(book["Phân tích"].iter_rows(min_row=2, values_only=True))
    for dimension, title in (("gender", "Giới tính"), ("school_level", "Cấp học")):
        answer = api_get(
            client,
            db,
            tree,
            f"/api/v1/coverage/breakdown?org=DB&as_of=2026-06-30&by={dimension}&compare=date",
        )
        mine = [r[2:] for r in breakdowns if r[0] == title]
        assert mine == [
            (
                r["staff_total"],
                r["certified"],
                r["percent"],
                r["last_year_staff_total"],
                r["last_year_certified"],
                r["last_year_percent"],
                r["change"],
            )
            for r in answer["rows"]
        ]
    sheet = book["Theo đơn vị"]
    assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
    assert int(sheet.page_setup.paperSize) == 9 and int(sheet.page_setup.fitToWidth) == 1  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet["E2"].number_format == "0.0" and sheet.column_dimensions["B"].width > 10
    chase = list(book["Độ đầy đủ dữ liệu"].iter_rows(min_row=2, values_only=True))
    listed = client.get("/coverage/completeness.csv?org=DB&format=csv-plain").get_data()
    lines = listed.decode("utf-8-sig").splitlines()[1:]
    assert [(r[0], str(r[-1])) for r in chase if r[-1]] == [
        (line.split(",")[0], line.split(",")[-1]) for line in lines
    ]


def test_the_pdf_holds_the_same_figures(client, login_as, db, tree, tmp_path):
    people(db, tree)
    login_as("admin")
    response = fetch_pack(client, "pdf")
    assert response.mimetype == "application/pdf"
    path = tmp_path / "pack.pdf"
    path.write_bytes(response.get_data())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for title in SHEETS:
        assert title in text
    # DB on 30/06/2026: 4 staff, 3 certified (75,0); last year 4 and 2 (50,0): +25,0 points
    assert "75,0" in text and "+25,0" in text and "Lò Văn Sơn" in text


def test_the_pack_of_a_unit_out_of_scope_is_not_found(client, login_as, db, tree):
    login_as("manager")  # DB-A
    assert client.post("/coverage/pack.xlsx?org=DB-B").status_code == 404
    assert client.get("/coverage/pack.xlsx?org=DB-A").status_code == 405
