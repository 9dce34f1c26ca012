"""Finding 14.2: formulas hidden behind control characters, and invisible characters at input.

Exports clean a text first and then neutralise it; names, titles and reasons with control,
zero-width or bidirectional characters are refused by the imports (row report), the forms
and the API, through one function (``trainer.org.text.clean_text``)."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from trainer.accounts.services import issue_token
from trainer.exports import neutralise
from trainer.imports import importer_for
from trainer.imports.base import run_import
from trainer.org.models import Staff
from trainer.org.text import HiddenCharacters, clean_text
from trainer.training.forms import DeclineForm, SessionForm
from trainer.training.models import TrainingSession

from .. import factories

FORMULA = '=HYPERLINK("http://evil.example","Xem")'
DISGUISES = ["\x01", "\x00", "\x1b", "\x7f", "\u200b", "\ufeff", "\u202e", "\u2066", "\x01\x02"]
STORABLE = [d for d in DISGUISES if "\x00" not in d]  # PostgreSQL text cannot hold NUL


def test_neutralise_cleans_before_it_checks():
    for disguise in DISGUISES:
        assert neutralise(disguise + FORMULA) == "'" + FORMULA, repr(disguise)
    assert neutralise(" \x01=1+1") == "' =1+1"
    assert neutralise("Nguyễn Tiến Thắng") == "Nguyễn Tiến Thắng"


def test_staff_xlsx_export_has_no_formula(client, login_as, db, tree):
    login_as("admin")
    for i, disguise in enumerate(STORABLE):
        factories.make_staff(tree["DB-A-S1"], disguise + FORMULA, staff_code=f"X{i}")
    db.session.commit()  # names stored before input was checked
    response = client.get("/staff/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert len(names) == len(STORABLE)
    for cell in names:
        assert cell.data_type != "f" and cell.value == "'" + FORMULA, cell.value
    csv_text = client.get("/staff/export.csv").get_data(as_text=True)
    assert "\x01" not in csv_text and f"'{FORMULA}".replace('"', '""') in csv_text


def test_clean_text_refuses_hidden_characters():
    for disguise in DISGUISES:
        with pytest.raises(HiddenCharacters):
            clean_text("Lò Thị" + disguise + " Hương")
    # tabs and line breaks are only white space: collapsed, not refused
    assert clean_text(" Lò\tThị\nHương ") == "Lò Thị Hương"


def test_staff_import_reports_the_row(db, tree):
    quoted = FORMULA.replace('"', '""')
    data = (
        "staff_code,full_name,org_code,position\n"
        "A1,Quàng Văn Đức,DB-A-S1,teacher\n"
        f'A2,"\x01{quoted}",DB-A-S1,teacher\n'
        "A3,Lò Thị\u200bHương,DB-A-S1,teacher\n"
    ).encode()
    report = run_import(importer_for("staff"), "staff.csv", data)
    assert not report.written
    errors = [e.as_dict() for e in report.errors]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "full_name"), (4, "full_name")]
    assert "U+0001" in errors[0]["reason"] and "U+200B" in errors[1]["reason"]
    assert db.session.scalar(select(func.count()).select_from(Staff)) == 0


def test_org_unit_import_refuses_a_bidi_override(db):
    data = "code,name,kind,parent_code\nDB,Tỉnh \u202eĐiện Biên,province,\n".encode()
    report = run_import(importer_for("orgunits"), "units.csv", data)
    assert not report.written and report.errors[0].column == "name"


def test_api_refuses_hidden_characters_in_a_title(client, db, tree):
    trainer = factories.make_staff(tree["DB-A-S1"], "Lò Văn Giảng", "it_teacher", staff_code="GV1")
    token = issue_token(factories.make_user("trainer", tree["DB-A"], staff=trainer))
    db.session.commit()

    def call(method, path, json):
        return client.open(
            path, method=method, json=json, headers={"Authorization": f"Bearer {token}"}
        )

    body = {
        "module": "IU03",
        "title": "\x01" + FORMULA,
        "trainer": "GV1",
        "org": "DB-A-S1",
        "starts_at": "2030-05-06T08:00:00+07:00",
        "ends_at": "2030-05-06T10:00:00+07:00",
        "capacity": 3,
    }
    refused = call("POST", "/api/v1/sessions", body)
    assert refused.status_code == 400
    assert refused.get_json()["field"] == "title"
    assert refused.get_json()["characters"] == ["U+0001"]
    assert call("POST", "/api/v1/sessions", body | {"location": "P\u200b1"}).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(TrainingSession)) == 0
    created = call("POST", "/api/v1/sessions", body | {"title": "  Xử lý\tvăn bản "})
    assert created.status_code == 201 and created.get_json()["title"] == "Xử lý văn bản"


def test_forms_refuse_hidden_characters(app):
    with app.test_request_context(method="POST", data={"title": "Bài \u202egnp.exe"}):
        form = SessionForm()
        form.module.choices = form.trainer.choices = []
        form.validate()
        assert "U+202E" in " ".join(form.title.errors)
    with app.test_request_context(method="POST", data={"reason": "Hết chỗ\x01"}):
        form = DeclineForm()
        assert not form.validate() and "U+0001" in " ".join(form.reason.errors)
    with app.test_request_context(method="POST", data={"reason": " Hết \n chỗ "}):
        form = DeclineForm()
        assert form.validate() and form.reason.data == "Hết chỗ"


DESIGN_FORM = {
    "name": "Mặc định",
    "title": "GIẤY CHỨNG NHẬN",
    "subtitle": "",
    "level": "",
    "body": "Chứng nhận {name}\n{unit}",
    "orientation": "landscape",
    "colour_primary": "#16325c",
    "colour_accent": "#b8912f",
    "colour_title": "#b3261e",
    "colour_text": "#1d2430",
    "blocks": ["frame", "qr"],
}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "GIẤY \u202eNẬHN GNỨHC"),
        ("subtitle", "Khóa\x01 bồi dưỡng"),
        ("name", "Mẫu\u200b mới"),
        ("body", "Chứng nhận {name}\n\u2066{unit}"),
    ],
)
def test_certificate_designs_refuse_hidden_characters(client, login_as, db, tree, field, value):
    """A design's words are printed on every certificate: its name, title, subtitle and
    sentences are refused with hidden characters like any other title (form and service)."""
    from trainer.certificates import designs
    from trainer.certificates.design_models import CertificateDesign
    from trainer.errors import InvalidInput

    login_as("admin")
    before = len(db.session.get(CertificateDesign, 1).versions)
    answer = client.post("/admin/designs/1", data={**DESIGN_FORM, field: value})
    assert answer.status_code == 200
    assert "U+" in answer.get_data(as_text=True)
    design = db.session.get(CertificateDesign, 1)
    db.session.refresh(design)
    assert len(design.versions) == before
    content = {
        "title": DESIGN_FORM["title"],
        "subtitle": "",
        "body": DESIGN_FORM["body"],
        "orientation": "landscape",
        "colours": {"primary": "#000000", "accent": "#000000", "title": "#000000", "text": "#000"},
        "blocks": ["frame"],
    }
    with pytest.raises(InvalidInput) as refused:
        if field == "name":
            designs.create_design(value)
        else:
            designs.validate_content(**{**content, field: value})
    assert refused.value.code == "hidden_characters" and refused.value.details["field"] == field


def test_a_saved_import_mappings_name_refuses_hidden_characters(client, login_as, db, tree):
    """The name an admin gives a column mapping on the import page, and the service that
    saves it, follow the input rules (the API and the forms already did)."""
    from trainer.errors import InvalidInput
    from trainer.imports.mappings import save_mapping
    from trainer.imports.models import ImportMapping

    from ..imports.test_rosters import post_mapping, unknown_header_page

    login_as("admin")
    answer = post_mapping(
        client,
        unknown_header_page(client),
        "1",
        **{"label-0": "Số hiệu viên chức", "field-0": "staff_code", "save_as": "CSDL\u202e ngành"},
    )
    assert answer.status_code == 200 and "U+202E" in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ImportMapping)) == 0
    with pytest.raises(InvalidInput) as refused:
        save_mapping("CSDL\u200b", importer_for("staff"), {})
    assert refused.value.code == "hidden_characters"
