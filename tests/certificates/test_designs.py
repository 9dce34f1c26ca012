"""Certificate designs: validation, SVG sanitising, nearest design, versions kept per
certificate, the modules printed, the admin page and its preview."""

import io
import subprocess

import pytest

from trainer.certificates import designs, services
from trainer.certificates.documents import pdf_for
from trainer.certificates.storage import FileStore
from trainer.curriculum.eligibility import eligible_modules
from trainer.errors import InvalidInput

from .. import factories
from .conftest import BASIC

CONTENT = dict(
    title="CHỨNG NHẬN HOÀN THÀNH",
    subtitle="Khóa bồi dưỡng",
    body="Trao cho {name}\n{unit}\nĐã học: {modules}",
    orientation="portrait",
    colours={"primary": "#004400", "accent": "#aa8800", "title": "#990000", "text": "#111111"},
    blocks=["frame", "modules", "qr"],
)


def text_of(data, tmp_path, name="doc.pdf"):
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize(
    "change, field",
    [
        ({"body": "Xin chào {ten}"}, "body"),
        ({"body": "Số {number"}, "body"),
        ({"body": "{name.__class__}"}, "body"),
        ({"title": ""}, "title"),
        ({"orientation": "square"}, "orientation"),
        ({"colours": {**CONTENT["colours"], "text": "red;}body{"}}, "colour_text"),
        ({"blocks": ["frame", "script"]}, "blocks"),
    ],
)
def test_bad_content_is_refused_with_its_field(db, change, field):
    with pytest.raises(InvalidInput) as error:
        designs.validate_content(**{**CONTENT, **change})
    assert error.value.details["field"] == field


def test_svg_is_sanitised_and_other_files_refused(db):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'onload="alert(1)"><script>alert(2)</script><circle r="5" fill="url(#g)"/>'
        b'<image href="http://evil.example/x.png"/><use xlink:href="file:///etc/passwd"/>'
        b'<rect style="fill:url(http://evil.example/p)" width="3"/>'
        b"<foreignObject><p>x</p></foreignObject></svg>"
    )
    name = designs.store_image("logo.svg", svg)
    stored = designs.images_of([type("V", (), {"emblem_image": name, "signature_image": None})()])[
        name
    ][0]
    for bad in (b"script", b"onload", b"evil.example", b"file:", b"foreignObject", b"<image"):
        assert bad not in stored, bad
    assert b"circle" in stored and b"url(#g)" in stored
    late_doctype = b"<!--" + b" " * 5000 + b"-->" + b"<!DOCTYPE svg><svg/>"  # the parser's own
    for data in (
        b"<!DOCTYPE svg [<!ENTITY x 'y'>]><svg/>",
        late_doctype,
        b"GIF89a...",
        b"x" * 300_000,
    ):
        with pytest.raises(InvalidInput):
            designs.store_image("logo.svg", data)


def test_nearest_design_wins_and_certificates_keep_their_version(
    app, db, tree, levels, person, pass_modules, tmp_path
):
    pass_modules(person, *BASIC)
    default = designs.design_version_for(tree["DB-A-S1"], levels["basic"])
    first = services.issue_certificate(person, levels["basic"])
    db.session.commit()
    assert first.design_version_id == default.id
    store = FileStore(tmp_path / "store")
    with app.test_request_context():
        before = pdf_for(first, store, base_url="https://x", place="Điện Biên")
    district = designs.create_design("Mường Chà", org_unit=tree["DB-A"])
    version = designs.save_version(district, content=CONTENT)
    other = designs.create_design("Other level", org_unit=tree["DB-A-S1"], level=levels["advanced"])
    designs.save_version(other, content={**CONTENT, "title": "NÂNG CAO"})
    db.session.commit()
    assert designs.design_version_for(tree["DB-A-S1"], levels["basic"]).id == version.id
    assert designs.design_version_for(tree["DB-B"], levels["basic"]).id == default.id
    second_person = factories.make_staff(tree["DB-A-S1"], "Lò Thị Hương", staff_code="A9")
    pass_modules(second_person, *BASIC)
    second = services.issue_certificate(second_person, levels["basic"])
    db.session.commit()
    assert second.design_version_id == version.id
    with app.test_request_context():
        text = text_of(pdf_for(second, store, base_url="https://x", place="Điện Biên"), tmp_path)
        store.delete(first.number)
        again = pdf_for(first, store, base_url="https://x", place="Điện Biên")
    assert "CHỨNG NHẬN HOÀN THÀNH" in text and "Trao cho Lò Thị Hương" in text
    assert "IU01, IU02, IU03, IU04, IU05, IU06" in text
    assert "GIẤY CHỨNG NHẬN" not in text
    assert text_of(again, tmp_path, "a.pdf") == text_of(before, tmp_path, "b.pdf")
    assert again == before  # the same document, byte for byte


def test_certificate_prints_the_modules_that_made_the_holder_eligible(
    app, db, tree, levels, person, pass_modules, tmp_path
):
    advanced = levels["advanced"]
    pass_modules(person, *BASIC)
    services.issue_certificate(person, levels["basic"])
    pass_modules(person, "IU07", "IU09", "IU11")
    db.session.commit()
    printed = [m.code for m in eligible_modules(person, advanced)]
    assert printed == ["IU07", "IU09", "IU11"]
    cert = services.issue_certificate(person, advanced)
    db.session.commit()
    with app.test_request_context():
        text = text_of(
            pdf_for(cert, FileStore(tmp_path / "s"), base_url="https://x", place="Điện Biên"),
            tmp_path,
        )
    assert "IU07" in text and "IU09" in text and "IU11" in text
    assert "IU08" not in text and "IU15" not in text


def test_admin_page_saves_versions_and_validates(client, login_as, db, tree, levels):
    login_as("admin")
    assert "Mặc định" in client.get("/admin/designs").get_data(as_text=True)
    page = client.get("/admin/designs/1").get_data(as_text=True)
    assert "GIẤY CHỨNG NHẬN" in page and "design-preview.js" in page
    form = {
        "name": "Mặc định",
        "title": "GIẤY KHEN <b>",
        "subtitle": "",
        "level": "",
        "body": "Chứng nhận {name}\n{unit}",
        "orientation": "landscape",
        "colour_primary": "#16325c",
        "colour_accent": "#b8912f",
        "colour_title": "#b3261e",
        "colour_text": "#1d2430",
        "blocks": ["frame", "qr"],
        "emblem": (
            io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg"><script/><circle r="3"/></svg>'),
            "logo.svg",
        ),
    }
    response = client.post("/admin/designs/1", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    from trainer.certificates.design_models import CertificateDesign

    design = db.session.get(CertificateDesign, 1)
    db.session.refresh(design)
    assert [v.version for v in design.versions] == [1, 2]
    assert design.versions[0].title == "GIẤY CHỨNG NHẬN"  # the old version is untouched
    assert design.current.title == "GIẤY KHEN <b>" and design.current.emblem_image
    bad = client.post(
        "/admin/designs/1",
        data={**form, "body": "Xin chào {ten}", "emblem": (io.BytesIO(b""), "")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 200 and "{ten}" in bad.get_data(as_text=True)
    # the message of the code (DesignError), its details filled in, at the field
    assert "Chỗ điền không hợp lệ hoặc dấu ngoặc thừa: {ten}. Hãy dùng {name}" in bad.get_data(
        as_text=True
    )
    db.session.refresh(design)
    assert len(design.versions) == 2
    colour = client.post(
        "/admin/designs/1",
        data={**form, "colour_text": "red", "emblem": (io.BytesIO(b""), "")},
        content_type="multipart/form-data",
    )
    assert colour.status_code == 200
    db.session.refresh(design)
    assert len(design.versions) == 2


def test_preview_renders_sample_data_and_refuses_bad_input(
    client, login_as, db, tree, levels, tmp_path
):
    login_as("admin")
    query = {
        "title": "BẰNG KHEN & <i>",
        "subtitle": "",
        "body": "Tặng {name}",
        "orientation": "portrait",
        "colour_primary": "#16325c",
        "colour_accent": "#b8912f",
        "colour_title": "#b3261e",
        "colour_text": "#1d2430",
        "blocks": ["frame", "qr"],
        "design": "1",
    }
    pdf = client.get("/admin/designs/preview.pdf", query_string=query)
    assert pdf.mimetype == "application/pdf"
    text = text_of(pdf.data, tmp_path)
    assert "BẰNG KHEN & <i>" in text and "Tặng Nguyễn Thị Ánh Tuyết" in text
    png = client.get("/admin/designs/preview.png", query_string=query)
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    bad = client.get("/admin/designs/preview.png", query_string={**query, "body": "{x}"})
    assert bad.status_code == 400


@pytest.mark.parametrize("role", ["manager", "trainer", "teacher"])
def test_only_admins_edit_designs(client, login_as, db, tree, role):
    login_as(role)
    for path in ("/admin/designs", "/admin/designs/1", "/admin/designs/preview.png"):
        assert client.get(path).status_code in (403, 404)


def test_design_refusals_are_codes_with_a_message(app):
    from trainer.certificates.errors import DesignError

    content = dict(
        title="GIẤY CHỨNG NHẬN",
        subtitle="",
        body="{name}",
        orientation="sideways",
        colours={k: "#000000" for k in designs.COLOURS},
        blocks=[],
    )
    with app.test_request_context(), pytest.raises(InvalidInput) as refused:
        designs.validate_content(**content)
    assert refused.value.code is DesignError.ORIENTATION
    assert refused.value.details["field"] == "orientation"
    assert refused.value.message == "A4 landscape or A4 portrait."
