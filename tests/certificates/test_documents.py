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


def made_up_jobs(design, count=2):
    """Certificates to print without a database (plain objects, as bench/passes.py makes)."""
    from datetime import date
    from types import SimpleNamespace

    from trainer.certificates.pdf import CertificateJob

    level = SimpleNamespace(name=lambda locale: "Chuẩn kỹ năng sử dụng CNTT cơ bản", code="basic")
    modules = [
        SimpleNamespace(code=f"IU0{i}", name=lambda locale, i=i: f"Mô-đun cơ bản số {i}")
        for i in range(1, 7)
    ]
    return [
        CertificateJob(
            SimpleNamespace(
                issued_on=date(2026, 11, 29),
                printed_name=NAMES[i % len(NAMES)] + " Nguyễn Hoàng Phương Thảo" * (i % 2),
                printed_unit="Trường Tiểu học Sa Lông",
                level=level,
                number=f"DB-2026-{i:06d}",
                issuer="Sở Giáo dục và Đào tạo tỉnh Điện Biên",
                signatory_title="Giám đốc",
                signatory_name="Lò Văn Minh" * (i % 2),
            ),
            modules[: 6 - i],
            f"https://trainer.example.vn/verify/code{i:012d}",
            gender=("female", None)[i % 2],
            design=design,
            design_key="t",
            qr_data=f"https://trainer.example.vn/verify/code{i:012d}#" + "x" * 300,
        )
        for i in range(count)
    ]


SVG_EMBLEM = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40"><path d="M5 30 C 20 5,'
    b' 40 5, 50 20 S 80 35, 95 10" stroke="#123" fill="none" stroke-width="3"/></svg>'
)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"orientation": "portrait", "emblem_image": "emblem", "signature_image": "emblem"},
        {"blocks": ("qr",), "subtitle": "", "body": ("Chứng nhận {honorific} {name}",)},
        {"orientation": "portrait", "blocks": ()},
    ],
)
def test_the_certificates_own_user_agent_stylesheet_prints_the_same(app, monkeypatch, changes):
    """A certificate is laid out with its own short user-agent stylesheet (the few of
    WeasyPrint's rules its template relies on): every block of every design prints byte for
    byte as with WeasyPrint's stylesheet."""
    import dataclasses

    from trainer.certificates import pdf
    from trainer.certificates.design_spec import DEFAULT_DESIGN

    design = dataclasses.replace(DEFAULT_DESIGN, **changes)
    images = {"emblem": (SVG_EMBLEM, "image/svg+xml")}
    with app.test_request_context():
        batch = pdf.certificate_batch(made_up_jobs(design), images=images)
    assert pdf.USER_AGENT
    ours = pdf.write_certificate_pdfs(batch)
    monkeypatch.setattr(pdf, "USER_AGENT", None)
    assert pdf.write_certificate_pdfs(batch) == ours


def test_the_certificates_user_agent_stylesheet_is_read_without_warnings(caplog):
    import logging

    from trainer.certificates.pdf import USER_AGENT
    from trainer.documents import render

    render._document_class_with.cache_clear()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render._document_class_with(USER_AGENT)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


def test_the_qr_code_goes_into_the_pdf_as_it_was_made(app):
    """The QR code's deflated rows are the PDF's image stream as they are (WeasyPrint decoded a
    PNG and encoded it again with Pillow for every certificate); its pixels read back."""
    import io

    import zxingcpp
    from PIL import Image
    from pypdf import PdfReader

    from trainer.certificates import pdf
    from trainer.certificates.design_spec import DEFAULT_DESIGN

    with app.test_request_context():
        batch = pdf.certificate_batch(made_up_jobs(DEFAULT_DESIGN, count=1))
    [data] = pdf.write_certificate_pdfs(batch)
    [text] = batch.qr_codes.values()
    width, height, rows = pdf.qr_bitmap(text)
    [image] = [
        xobject.get_object()
        for xobject in PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/XObject"].values()
        if xobject.get_object()["/Subtype"] == "/Image"  # not the emblem's form
    ]
    assert (image["/Width"], image["/Height"]) == (width, height)
    assert image["/ColorSpace"] == "/DeviceGray" and image["/DecodeParms"]["/Predictor"] == 15
    assert image["/Interpolate"] == False  # noqa: E712 (image-rendering: pixelated)
    assert image._data == rows
    png = Image.open(io.BytesIO(pdf.qr_png(text)))  # the same rows read by Pillow
    assert image.decode_as_image().tobytes() == png.tobytes()
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    assert png.tobytes() == memoryview(code.to_image(scale=4, add_quiet_zones=False)).tobytes()
    assert len(rows) < 5_000  # rows like the one above are "Up" filtered: zeros


def test_the_certificates_html_is_parsed_as_xml_and_prints_the_same(app, monkeypatch):
    """certificate.html is well-formed XML, parsed by expat (WeasyPrint's HTML parser is
    Python): every design prints byte for byte as parsed as HTML; a document that is not
    XML is still parsed as HTML."""
    import dataclasses
    from xml.etree import ElementTree

    from trainer.certificates import pdf
    from trainer.certificates.design_spec import DEFAULT_DESIGN
    from trainer.documents import render

    images = {"emblem": (SVG_EMBLEM, "image/svg+xml")}
    designs = [
        DEFAULT_DESIGN,
        dataclasses.replace(DEFAULT_DESIGN, orientation="portrait", emblem_image="emblem"),
    ]
    with app.test_request_context():
        batches = [pdf.certificate_batch(made_up_jobs(d), images=images) for d in designs]
    for batch in batches:
        ElementTree.fromstring(batch.html)  # well-formed: no fallback
    ours = [pdf.write_certificate_pdfs(batch) for batch in batches]

    def not_xml(text):
        raise ElementTree.ParseError("not XML")

    monkeypatch.setattr(render, "XML", not_xml)
    assert [pdf.write_certificate_pdfs(batch) for batch in batches] == ours
    monkeypatch.undo()
    [part] = render.write_pdfs("<p>Lò Thị Hương<br>x", [1], user_agent=pdf.USER_AGENT)
    assert part.startswith(b"%PDF-")


def test_each_design_prints_its_colours_from_a_stylesheet_parsed_once(app):
    """The designs' colours are a stylesheet handed to WeasyPrint (parsed once a process and
    design, where the page's <style> was parsed for every document): two designs in one
    batch each print their own frame, title and text colours."""
    import dataclasses
    import io
    import re

    from pypdf import PdfReader

    from trainer.certificates import pdf
    from trainer.certificates.design_spec import DEFAULT_DESIGN
    from trainer.documents import render

    green = dataclasses.replace(
        DEFAULT_DESIGN,
        colours={"primary": "#004400", "accent": "#aa8800", "title": "#990000", "text": "#111111"},
    )
    jobs = made_up_jobs(DEFAULT_DESIGN, count=2)
    jobs[1].design, jobs[1].design_key = green, "7"
    with app.test_request_context():
        batch = pdf.certificate_batch(jobs)
    assert "<style" not in batch.html and ".d-7 h1 { color: #990000 }" in batch.css
    colours = []
    for data in pdf.write_certificate_pdfs(batch):
        content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()
        colours.append(set(re.findall(rb"([\d. ]+) rg\b", content)))
    assert {b"0 0.266667 0", b"0.6 0 0", b"0.066667 0.066667 0.066667"} <= colours[1]
    assert not {b"0 0.266667 0", b"0.6 0 0"} & colours[0]
    assert render.css_stylesheet(batch.css) is render.css_stylesheet(batch.css)


def test_whitespace_between_blocks_is_left_out_and_the_page_looks_the_same(
    app, monkeypatch, tmp_path
):
    """The whitespace between the template's block-level tags is left out of a certificate's
    HTML (each run was a text box WeasyPrint built and dropped); spaces between words and
    values stay, and the page rasterises to the same pixels."""
    import dataclasses
    import re

    from PIL import Image, ImageChops

    from trainer.certificates import pdf
    from trainer.certificates.design_spec import DEFAULT_DESIGN

    design = dataclasses.replace(
        DEFAULT_DESIGN, orientation="portrait", body=("{honorific} {name}", "{unit} {level}")
    )
    pages = {}
    for kept in (False, True):
        if kept:
            monkeypatch.setattr(pdf, "_BETWEEN_BLOCKS", re.compile("(x)(?!x)x"))
        with app.test_request_context():
            batch = pdf.certificate_batch(made_up_jobs(design, count=1))
        assert ("</div>\n" in batch.html) is kept
        assert '</span> <span class="value">' in batch.html  # {honorific} {name}
        path = tmp_path / f"{kept}.pdf"
        path.write_bytes(pdf.write_certificate_pdfs(batch)[0])
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", path, path], check=True)
        pages[kept] = Image.open(f"{path}.png").convert("RGB")
    assert ImageChops.difference(pages[False], pages[True]).getbbox() is None


def test_a_certificate_prints_the_same_before_and_after_other_documents(app, monkeypatch):
    """Documents share computed styles with the earlier ones of their thread
    (trainer/documents/styles.py): a certificate of each design (landscape and portrait, with
    and without images, every block or none) prints byte for byte as with WeasyPrint's own
    styles, rendered first in a thread and after the other designs' and a batch."""
    import dataclasses

    from trainer.certificates import pdf
    from trainer.certificates.design_spec import DEFAULT_DESIGN
    from trainer.documents import render, styles

    images = {"emblem": (SVG_EMBLEM, "image/svg+xml")}
    designs = [
        DEFAULT_DESIGN,
        dataclasses.replace(
            DEFAULT_DESIGN, orientation="portrait", emblem_image="emblem", signature_image="emblem"
        ),
        dataclasses.replace(DEFAULT_DESIGN, emblem_image="emblem"),
        dataclasses.replace(DEFAULT_DESIGN, orientation="portrait", blocks=()),
    ]
    with app.test_request_context():
        alone = [pdf.certificate_batch(made_up_jobs(d, count=1), images=images) for d in designs]
        batch = pdf.certificate_batch(made_up_jobs(DEFAULT_DESIGN, count=3), images=images)
    monkeypatch.setattr(render, "SHARE_STYLES", False)
    expected = [pdf.write_certificate_pdfs(b) for b in alone]
    expected_batch = pdf.write_certificate_pdfs(batch)
    monkeypatch.setattr(render, "SHARE_STYLES", True)
    for index, certificate in enumerate(alone):
        styles.drop()
        assert pdf.write_certificate_pdfs(certificate) == expected[index]  # first in the thread
        others = [b for b in alone if b is not certificate]
        assert [pdf.write_certificate_pdfs(b) for b in others] == [
            e for e, b in zip(expected, alone, strict=True) if b is not certificate
        ]
        assert pdf.write_certificate_pdfs(batch) == expected_batch
        assert pdf.write_certificate_pdfs(certificate) == expected[index]  # after the others


def test_the_next_certificate_computes_no_style_again(app):
    """A certificate after another of the same design makes no new shared style: its
    elements' and pseudo-elements' styles are the earlier one's (what saved a third of a lone
    certificate's CPU)."""
    from trainer.certificates import pdf
    from trainer.certificates.design_spec import DEFAULT_DESIGN
    from trainer.documents import layers, styles

    with app.test_request_context():
        first, _, second = (  # the second of another holder, unit and modules
            pdf.certificate_batch([job]) for job in made_up_jobs(DEFAULT_DESIGN, count=3)
        )
    styles.drop()
    layers.drop()  # the static layer (with the motto) is laid out again, with these styles
    pdf.write_certificate_pdfs(first)
    [made] = styles._local.sets.values()
    count = len(made)
    assert count > 20
    pseudo = {key[1] for key in made if len(key) == 2}  # (element's serial, pseudo type)
    assert pseudo == {"before"}  # the motto's <br> (the modules print as lines: no markers)
    pdf.write_certificate_pdfs(second)
    [again] = styles._local.sets.values()
    assert again is made and len(again) == count


def test_the_default_emblem_is_drawn_once_and_prints_as_the_svg_drawn_on_each_page(app, tmp_path):
    """The default emblem (in each design's colours) is drawn by WeasyPrint once a process and
    written into each PDF as a form XObject, painted with one operator: the pages rasterise to
    the same pixels as with WeasyPrint drawing the SVG on each page (no ``vectors``)."""
    import dataclasses
    import io

    from PIL import Image, ImageChops
    from pypdf import PdfReader

    from trainer.certificates import pdf
    from trainer.certificates.design_spec import DEFAULT_DESIGN
    from trainer.documents.vector import vector_image

    other = dataclasses.replace(
        DEFAULT_DESIGN,
        orientation="portrait",
        colours={**DEFAULT_DESIGN.colours, "title": "#123456", "accent": "#00aa00"},
    )
    jobs = made_up_jobs(DEFAULT_DESIGN, count=2)
    jobs[1].design, jobs[1].design_key = other, "other"
    with app.test_request_context():
        batch = pdf.certificate_batch(jobs)
    assert sorted(batch.vectors) == sorted(f"emblem-d-{job.design_key}" for job in jobs)
    svg = batch.vectors["emblem-d-other"]
    assert "#123456" in svg and "#00aa00" in svg and "<svg" not in batch.html
    assert vector_image(svg) is vector_image(svg)  # made once
    pages = {}
    for kind, drawn in (("form", batch), ("svg", dataclasses.replace(batch, vectors={}))):
        for index, data in enumerate(pdf.write_certificate_pdfs(drawn)):
            forms = [
                x.get_object()
                for x in PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/XObject"].values()
                if x.get_object()["/Subtype"] == "/Form"
            ]
            assert len(forms) == (kind == "form")
            path = tmp_path / f"{kind}{index}.pdf"
            path.write_bytes(data)
            subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", path, path], check=True)
            pages[kind, index] = Image.open(f"{path}.png").convert("RGB")
    for index in (0, 1):
        assert ImageChops.difference(pages["form", index], pages["svg", index]).getbbox() is None
    assert ImageChops.difference(pages["form", 0], pages["form", 1]).getbbox() is not None


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_modules_that_cannot_wrap_print_as_one_block_of_lines_and_look_the_same(
    app, monkeypatch, tmp_path, orientation
):
    """A column of modules none of which can wrap is one block of lines (one box, not three a
    module): it rasterises to the same pixels and reads back as the list; a module too long
    for a column, or with a letter our face lacks, keeps the list."""
    import dataclasses

    from PIL import Image, ImageChops

    from trainer.certificates import pdf
    from trainer.certificates.design_spec import DEFAULT_DESIGN

    design = dataclasses.replace(DEFAULT_DESIGN, orientation=orientation)
    long_name = "Sử dụng hệ quản trị cơ sở dữ liệu và bảng tính nâng cao cho quản lý"
    assert pdf.module_lines([("IU10", "Sử dụng hệ quản trị cơ sở dữ liệu")], orientation)
    assert not pdf.module_lines([("IU10", long_name)], orientation)
    assert not pdf.module_lines([("IU10", "漢字")], orientation)
    assert not pdf.module_lines([("IU10", "Sử dụng\nInternet")], orientation)
    pages, texts = {}, {}
    for lines in (True, False):
        if not lines:
            monkeypatch.setattr(pdf, "module_lines", lambda modules, orientation: False)
        with app.test_request_context():
            batch = pdf.certificate_batch(made_up_jobs(design, count=1))
        assert ('<ul class="lines">' in batch.html) is lines
        assert ("<li>" in batch.html) is not lines
        path = tmp_path / f"{lines}.pdf"
        path.write_bytes(pdf.write_certificate_pdfs(batch)[0])
        texts[lines] = pdf_text(path)
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", path, path], check=True)
        pages[lines] = Image.open(f"{path}.png").convert("RGB")
    assert "IU06  Mô-đun cơ bản số 6" in texts[True] or "IU06 Mô-đun cơ bản số 6" in texts[True]
    assert texts[True] == texts[False]
    assert ImageChops.difference(pages[True], pages[False]).getbbox() is None
