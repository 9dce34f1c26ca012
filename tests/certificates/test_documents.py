"""PDFs: the text reads back exactly, the QR decodes to the verification URL, stored once."""

import subprocess

import pytest

from trainer.certificates import services
from trainer.certificates.documents import pdf_for
from trainer.certificates.statements import check_statement, qr_payload
from trainer.certificates.storage import FileStore
from trainer.curriculum import services as curriculum
from trainer.documents.pool import start_workers

from .conftest import BASIC


@pytest.fixture
def issued(db, person, levels, pass_modules):
    pass_modules(person, *BASIC)
    cert = services.issue_certificate(person, levels["basic"])
    db.session.commit()
    return cert


def pdf_text(path):
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_reads_back_and_qr_decodes(app, issued, tmp_path):
    store = FileStore(tmp_path / "store")
    with app.test_request_context():
        data = pdf_for(issued, store, base_url="https://trainer.example.vn", place="Điện Biên")
    path = tmp_path / "cert.pdf"
    path.write_bytes(data)
    text = pdf_text(path)
    for expected in (
        "Nguyễn Tiến Thắng",
        "Trường Tiểu học Sa Lông",
        issued.number,
        "Chuẩn kỹ năng sử dụng CNTT cơ bản",
        "IU06",
        "Sử dụng Internet cơ bản",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH ĐIỆN BIÊN",
        "GIẤY CHỨNG NHẬN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "GIÁM ĐỐC",
    ):
        assert expected in text, expected
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # A4 landscape
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    # only our faces (the vendored DejaVu subset, see trainer/documents/fonts.py), embedded
    assert rows and all("Trainer-Serif" in row and " yes " in row for row in rows), fonts
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(path), str(tmp_path / "page")], check=True)
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "page-1.png")], capture_output=True, text=True
    ).stdout.strip()
    address, _hash, statement = decoded.partition("#")
    assert address == f"https://trainer.example.vn/verify/{issued.verification_code}"
    with app.app_context():
        assert check_statement(statement).result == "valid"
        assert decoded == qr_payload(issued, "https://trainer.example.vn")


def test_stored_pdf_is_reused(app, issued, tmp_path, monkeypatch):
    store = FileStore(tmp_path / "store")
    with app.test_request_context():
        first = pdf_for(issued, store, base_url="https://x", place="Điện Biên")
        from trainer.certificates import documents

        def fail(*args, **kwargs):
            raise AssertionError("rendered twice")

        monkeypatch.setattr(documents, "render", fail)
        assert pdf_for(issued, store, base_url="https://x", place="Điện Biên") == first


def test_verification_code_is_long_and_url_safe(issued):
    import re

    assert re.fullmatch(r"[A-Za-z0-9_-]{16,}", issued.verification_code)  # 96 bits


@pytest.mark.parametrize("name", ["Đặng Thị Ngọc Ánh", "Lầu Thị Chứ", "Vàng A Ŝùng Ç"])
def test_shared_font_subset_keeps_every_name_exact(
    app, db, tree, levels, pass_modules, tmp_path, name
):
    """Fonts start from one common alphabet (prepared once per process): names inside it,
    and a name with letters outside it, read back exactly; every font is embedded."""
    from .. import factories

    person = factories.make_staff(tree["DB-A-S1"], name, staff_code=f"R{len(name)}")
    pass_modules(person, *BASIC)
    cert = services.issue_certificate(person, levels["basic"])
    db.session.commit()
    path = tmp_path / "cert.pdf"
    with app.test_request_context():
        path.write_bytes(
            pdf_for(cert, FileStore(tmp_path / "s"), base_url="https://x", place="Điện Biên")
        )
    assert name in pdf_text(path)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes yes " in row for row in rows), fonts  # embedded subsets
    assert "Helvetica" not in fonts


def test_certificate_prints_only_the_modules_that_made_the_holder_eligible(
    app, db, person, levels, modules, pass_modules, tmp_path
):
    """An advanced certificate lists the three electives passed by its issue date, not all
    of IU07–IU15: not a failed one, nor one passed after it was issued."""
    from datetime import date

    pass_modules(person, *BASIC, "IU07", "IU10", "IU12")
    curriculum.record_result(person, modules["IU08"], 30, date(2026, 1, 10))  # failed
    services.issue_certificate(person, levels["basic"], issued_on=date(2026, 1, 20))
    cert = services.issue_certificate(person, levels["advanced"], issued_on=date(2026, 2, 1))
    curriculum.record_result(person, modules["IU14"], 90, date(2026, 2, 10))  # after issuing
    db.session.commit()
    path = tmp_path / "advanced.pdf"
    with app.test_request_context():
        path.write_bytes(
            pdf_for(cert, FileStore(tmp_path / "s"), base_url="https://x", place="Điện Biên")
        )
    text = " ".join(pdf_text(path).split())
    for passed in ("Xử lý văn bản nâng cao", "Sử dụng hệ quản trị cơ sở dữ liệu", "Biên tập ảnh"):
        assert passed in text, passed
    for other in (
        "Sử dụng bảng tính nâng cao",
        "Sử dụng trình chiếu nâng cao",
        "Thiết kế đồ họa hai chiều",
        "Biên tập trang thông tin điện tử",
        "An toàn, bảo mật thông tin",
        "Sử dụng phần mềm kế hoạch dự án",
    ):
        assert other not in text, other


def test_printed_modules_in_bulk_follow_each_holder(db, tree, levels, modules, pass_modules):
    """Rendering a batch: each certificate gets its own holder's electives."""
    from trainer.certificates.documents import printed_modules

    from .. import factories

    first = factories.make_staff(tree["DB-A-S1"], "Lò Thị Hương")
    second = factories.make_staff(tree["DB-A-S1"], "Quàng Văn Đức")
    pass_modules(first, *BASIC, "IU07", "IU08", "IU09")
    pass_modules(second, *BASIC, "IU13", "IU14", "IU15", "IU11")
    services.issue_bulk(tree["DB-A-S1"], levels["basic"])
    certs = services.issue_bulk(tree["DB-A-S1"], levels["advanced"])
    printed = printed_modules(certs)
    codes = {c.staff_id: [m.code for m in printed[c.id]] for c in certs}
    assert codes == {
        first.id: ["IU07", "IU08", "IU09"],
        second.id: ["IU11", "IU13", "IU14", "IU15"],
    }


def test_a_certificate_printed_in_a_batch_is_the_one_printed_alone(
    app, db, tree, levels, pass_modules, tmp_path
):
    """Bulk issuing lays many certificates out in one pass; each stored PDF is byte for byte
    the PDF of that certificate rendered alone (a lost file is rendered again the same)."""
    from trainer.certificates.documents import render_missing

    from .. import factories

    people = [
        factories.make_staff(tree["DB-A-S1"], name, staff_code=f"B{i}", gender="female")
        for i, name in enumerate(["Lò Thị Hương", "Quàng Văn Đức", "Đặng Thị Ngọc Ánh"])
    ]
    for person in people:
        pass_modules(person, *BASIC)
    certs = services.issue_bulk(tree["DB-A"], levels["basic"])
    db.session.commit()
    store = FileStore(tmp_path / "store")
    with app.test_request_context():
        assert render_missing(certs, store, base_url="https://x", place="Điện Biên") == 3
        batch = {cert.number: store.get(cert.number) for cert in certs}
        for cert in certs:
            store.delete(cert.number)
            alone = pdf_for(cert, store, base_url="https://x", place="Điện Biên")
            assert alone == batch[cert.number], cert.number
    for cert in certs:
        assert cert.printed_name in pdf_text_of(tmp_path, batch[cert.number])


def pdf_text_of(tmp_path, data):
    path = tmp_path / "part.pdf"
    path.write_bytes(data)
    return pdf_text(path)


NAMES = ["Lò Thị Hương", "Quàng Văn Đức", "Đặng Thị Ngọc Ánh", "Nguyễn Văn Bình", "Phạm Thị Mai"]


def test_bulk_rendering_on_worker_processes_splits_one_pdf_per_holder(
    app, db, tree, levels, pass_modules, tmp_path
):
    """Five certificates laid out two to a WeasyPrint pass on two worker processes: each
    stored PDF is one page holding its own holder's name and number and nobody else's, is
    the PDF printed alone, progress is heard of every PDF stored, and a second run renders
    nothing."""
    from trainer.certificates.documents import render_missing

    from .. import factories

    for i, name in enumerate(NAMES):
        pass_modules(factories.make_staff(tree["DB-A-S1"], name, staff_code=f"W{i}"), *BASIC)
    certs = services.issue_bulk(tree["DB-A"], levels["basic"])
    db.session.commit()
    store, heard = FileStore(tmp_path / "store"), []
    options = dict(base_url="https://x", place="Điện Biên", chunk=2, workers=2)
    start_workers(2, "trainer.certificates.pdf")  # warm: the passes go to the processes
    with app.test_request_context():
        assert render_missing(certs, store, progress=heard.append, **options) == 5
    assert heard == [1] * 5
    for cert in certs:
        path = tmp_path / f"{cert.number}.pdf"
        path.write_bytes(store.get(cert.number))
        text = pdf_text(path)
        assert cert.printed_name in text and cert.number in text
        others = [c for c in certs if c is not cert]
        assert not any(c.printed_name in text or c.number in text for c in others), text
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        assert "Pages:           1\n" in info
    first = certs[3]
    batch = store.get(first.number)
    heard.clear()
    with app.test_request_context():
        assert render_missing(certs, store, progress=heard.append, **options) == 0
        assert heard == [5]  # all stored before: counted, not rendered
        store.delete(first.number)
        assert pdf_for(first, store, base_url="https://x", place="Điện Biên") == batch


def test_a_failing_pass_on_a_worker_process_reaches_the_caller(app):
    """An error in a worker process is raised where the work was handed over (a job fails
    with it rather than hanging or storing half a batch silently)."""
    from trainer.documents.pool import Pipeline
    from trainer.documents.render import PageCountMismatch, write_pdfs

    del app
    start_workers(2, "trainer.certificates.pdf")  # warm: the pass goes to a process
    with pytest.raises(PageCountMismatch), Pipeline(_two_pages_as_one, workers=2) as pipeline:
        list(pipeline.submit("a", "<p>one</p>"))
        list(pipeline.drain())
    assert len(write_pdfs("<p>x</p>", [1])) == 1  # this process still renders


def _two_pages_as_one(html):
    from trainer.documents.render import write_pdfs

    return write_pdfs(html + '<p style="page-break-before: always">two</p>', [1])


def test_the_qr_code_is_a_greyscale_png_that_decodes(tmp_path):
    # 8-bit greyscale: WeasyPrint embeds it as it is (a 1-bit PNG was converted to RGB and
    # encoded again with Pillow for every certificate)
    import io

    from PIL import Image

    from trainer.certificates.pdf import qr_png

    text = "https://trainer.example.vn/verify/abc#" + "x" * 300
    image = Image.open(io.BytesIO(qr_png(text)))
    assert (image.format, image.mode) == ("PNG", "L")
    assert image.width == image.height and image.width % 4 == 0
    page = Image.new("L", (image.width + 64, image.height + 64), 255)  # a quiet zone
    page.paste(image, (32, 32))
    page.save(tmp_path / "qr.png")
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True
    ).stdout.strip()
    assert decoded == text
