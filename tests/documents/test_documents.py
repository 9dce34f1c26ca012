"""The restricted URL fetcher, the vendored font subsets, the Pango check, the report layout."""

import http.server
import re
import subprocess
import threading

import pytest

from trainer.documents import DocumentFetcher, FetchRefused, check, fonts, write_pdf

OUTSIDE = [
    "http://127.0.0.1:9/x.png",
    "https://example.org/logo.png",
    "file:///etc/passwd",
    "data:image/png;base64,iVBORw0KGgo=",
    "ftp://example.org/x",
    "trainer:static/../../../etc/passwd",
    "trainer:static/css/app.css",
    "trainer:static/img/../../trainer/config.py",
    "trainer:font/../../setup.cfg",
    "trainer:font/nope.ttf",
    "trainer:image/unknown",
    "trainer:other/x",
    "/etc/passwd",
]


@pytest.mark.parametrize("url", OUTSIDE)
def test_fetcher_refuses_anything_but_the_apps_own_files(url):
    fetcher = DocumentFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_serves_fonts_static_images_and_given_images():
    fetcher = DocumentFetcher({"logo": (b"<svg/>", "image/svg+xml")})
    data, mime = fetcher.fetch("trainer:font/DejaVuSerif.ttf")
    assert mime == "font/ttf" and data == fonts.subset_font("DejaVuSerif.ttf")
    assert fetcher.fetch("trainer:static/img/favicon.svg")[1] == "image/svg+xml"
    assert fetcher.fetch("trainer:image/logo") == (b"<svg/>", "image/svg+xml")
    assert fetcher.refused == []


@pytest.fixture
def outside_server():
    """A local HTTP server that counts the requests it gets (none are expected)."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.end_headers()
            self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg"><text>LEAKED</text></svg>')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()


def pdf_text(tmp_path, data, *args):
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_an_svg_or_template_cannot_reach_outside_or_read_local_files(app, tmp_path, outside_server):
    """An uploaded SVG (here unsanitised, to test the fetcher alone) and the HTML refer to an
    outside address and to /etc/passwd: nothing is requested, nothing is read, the rest prints."""
    base, hits = outside_server
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' width="100" height="100"><image href="{base}/from-svg.svg" width="50" height="50"/>'
        f'<image xlink:href="file:///etc/passwd" width="50" height="50"/>'
        f'<use href="{base}/sprite.svg#a"/></svg>'
    ).encode()
    html = (
        f'<html><head><link rel="stylesheet" href="{base}/style.css"><style>'
        f'@import url("{base}/import.css"); body {{ font-family: "Trainer Sans" }}'
        f'</style></head><body><p>Lò Thị Hương</p><img src="trainer:image/logo.svg">'
        f'<img src="{base}/direct.png"><img src="file:///etc/passwd">'
        f'<iframe src="file:///etc/passwd"></iframe><object data="file:///etc/hostname">'
        f"</object></body></html>"
    )
    with app.app_context():
        data = write_pdf(html, images={"logo.svg": (svg, "image/svg+xml")})
    text = pdf_text(tmp_path, data)
    assert "Lò Thị Hương" in text
    assert hits == []
    assert "root:" not in text and "LEAKED" not in text


def test_the_fetcher_logs_what_it_refused(app, outside_server):
    base, hits = outside_server
    seen = []
    original = DocumentFetcher.fetch

    def spy(self, url):
        try:
            return original(self, url)
        except FetchRefused:
            seen.append(url)
            raise

    with app.app_context(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(DocumentFetcher, "fetch", spy)
        write_pdf(f'<img src="{base}/a.png"><img src="file:///etc/passwd">')
    assert f"{base}/a.png" in seen and "file:///etc/passwd" in seen and hits == []


def test_vendored_subsets_are_current_and_cover_vietnamese():
    """The committed subsets equal a fresh subset of the fonts (``python -m
    trainer.documents.fonts`` rewrites them) and carry no layout tables."""
    from io import BytesIO

    from fontTools.ttLib import TTFont

    for _family, _weight, file in fonts.FACES:
        vendored = (fonts.SUBSETS / file).read_bytes()
        font = TTFont(BytesIO(vendored))
        cmap = set(font.getBestCmap())
        original = set(TTFont(fonts.FONTS / file).getBestCmap())
        assert cmap == set(fonts.REPERTOIRE) & original, file
        for ch in "ĐđƠơƯưẠỹẾệỗ":
            assert ord(ch) in cmap, (file, ch)
        assert "GSUB" not in font and "GPOS" not in font
        assert TTFont(BytesIO(fonts.make_subset(file))).getBestCmap() == font.getBestCmap()


def test_pango_check_gives_advice_instead_of_a_traceback(monkeypatch, capsys):
    assert check.main() == 0
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)  # import fails
    assert check.main() == 1
    err = capsys.readouterr().err
    assert "libpango-1.0-0 libpangoft2-1.0-0" in err and "Traceback" not in err


def test_coverage_report_headers_do_not_overlap(app, tmp_path):
    """Each header keeps its own column: read back with ``pdftotext -layout``."""
    from datetime import date
    from types import SimpleNamespace

    from flask_babel import force_locale

    from trainer.coverage.report import coverage_report

    row = SimpleNamespace(
        name="Huyện Mường Chà",
        staff_total=1520,
        certified=1284,
        percent=84.5,
        target_percent=90.0,
        gap=5.5,
    )
    head = SimpleNamespace(
        name="Tỉnh Điện Biên",
        staff_total=15614,
        certified=13194,
        percent=84.5,
        target_percent=90.0,
        gap=5.5,
    )
    names = {"vi": "Chuẩn kỹ năng sử dụng CNTT cơ bản", "en": "Basic IT skills standard"}
    level = SimpleNamespace(name=lambda locale: names[str(locale)[:2]])
    with app.test_request_context(), force_locale("vi"):
        data = coverage_report(head, [row], level=level, as_of=date(2026, 11, 28))
    text = pdf_text(tmp_path, data, "-layout")
    header = next(line for line in text.splitlines() if "Cán bộ" in line)
    columns = r"Đơn vị\s{2,}Cán bộ\s{2,}Đã có chứng chỉ\s{2,}Tỷ lệ\s{2,}phần trăm"
    assert re.search(columns, header), text
    values = next(line for line in text.splitlines() if "Huyện Mường Chà" in line)
    assert re.search(r"Huyện Mường Chà\s+1520\s+1284\s+84,5\s+90,0\s+5,5", values), text
    assert "Báo cáo" in text and "Tỉnh Điện Biên" in text and "28/11/2026" in text
    assert "Chuẩn kỹ năng sử dụng CNTT cơ bản" in " ".join(text.split())  # the reader's language


def test_a_process_that_rendered_a_pdf_exits_cleanly(tmp_path):
    """The per-thread font configuration is released before the interpreter's teardown (it
    used to end the process with a segmentation fault once the work was done)."""
    import sys

    script = (
        "from trainer import create_app\n"
        "from trainer.documents import write_pdf\n"
        "app = create_app({'SECRET_KEY': 'x', 'TESTING': True,\n"
        "                  'SQLALCHEMY_DATABASE_URI': 'sqlite://'})\n"
        "with app.app_context():\n"
        "    pdf = write_pdf(\"<p style='font-family: Trainer Serif'>Lò Thị Hương</p>\")\n"
        "print(pdf[:5].decode())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert (result.returncode, result.stdout.strip()) == (0, "%PDF-"), result.stderr[-2000:]


def test_documents_use_the_lean_user_agent_stylesheet_and_print_the_same(app, monkeypatch):
    """The footnote/note pseudo-element rules are left out of WeasyPrint's user-agent
    stylesheet (computed for every element otherwise); a document with a list, bold text and
    a table prints byte for byte as with the stock stylesheet."""
    import weasyprint

    from trainer.documents import render

    lean = render._document_class()
    assert lean is not weasyprint.HTML and issubclass(lean, weasyprint.HTML)
    sheet = lean(string="<p>x</p>")._ua_stylesheets()[0]
    assert sheet is not weasyprint.html.UA_STYLESHEET
    html = (
        "<h1 style='font-family: Trainer Serif'>Lò Thị Hương</h1><ul><li>IU01</li>"
        "<li><b>IU02</b></li></ul><ol><li>một</li></ol><table><tr><th>Cán bộ</th>"
        "<td>1.520</td></tr></table>"
    )
    with app.app_context():
        ours = write_pdf(html)
        monkeypatch.setattr(render, "_document_class", lambda: weasyprint.HTML)
        assert write_pdf(html) == ours


def test_the_lean_stylesheet_is_read_without_warnings(caplog):
    import logging

    from trainer.documents import render

    render._document_class.cache_clear()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render._document_class()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


WARMS_UP = """
import gc, sys
from trainer import create_app
from trainer.documents import render
app = create_app({'SECRET_KEY': 'x', 'TESTING': True, 'SQLALCHEMY_DATABASE_URI': 'sqlite://',
                  'WARM_UP_DOCUMENTS': sys.argv[1]})
template = any(name == 'documents/certificate.html' for _, name in app.jinja_env.cache.keys())
print(getattr(render._local, 'fonts', None) is not None,
      'certificate.css' in (getattr(render._local, 'sheets', None) or {}),
      template, gc.get_freeze_count() > 0)
"""


@pytest.mark.parametrize(
    ("setting", "expected"), [("1", "True True True True"), ("0", "False False False False")]
)
def test_the_app_warms_up_what_the_first_certificate_needs_when_asked(tmp_path, setting, expected):
    """``WARM_UP_DOCUMENTS=1`` (``make run``, gunicorn): fonts, the certificate's stylesheet
    and template are ready when the app starts, and the start-up heap is frozen; without it
    (CLI commands, tests) nothing is loaded."""
    import sys

    result = subprocess.run(
        [sys.executable, "-c", WARMS_UP, setting],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert (result.returncode, result.stdout.strip()) == (0, expected), result.stderr[-2000:]


def test_streams_are_deflated_at_zlibs_default_level_and_read_back(monkeypatch):
    """The PDF's own streams (page content, font subsets, character maps) are deflated at
    ``deflate.LEVEL`` (pydyf's own level, 9, took twice the time for 0.1 % smaller files), are
    marked ``/FlateDecode`` and read back; the same document at level 9 has the same pages."""
    import io
    import zlib

    from pypdf import PdfReader

    from trainer.documents import deflate

    html = "<p style='font-family: \"Trainer Serif\"'>Chứng nhận <b>Đức</b></p>"
    data = write_pdf(html)
    reader = PdfReader(io.BytesIO(data))
    assert "Chứng nhận Đức" in reader.pages[0].extract_text()
    streams = [
        obj
        for obj in map(reader.get_object, range(1, reader.trailer["/Size"]))
        if hasattr(obj, "get_data")
        and obj.get("/Filter") == "/FlateDecode"
        and obj.get("/Type") not in ("/ObjStm", "/XRef")  # pydyf's own, made while writing
    ]
    assert len(streams) >= 3  # the page's content, a font subset, its character map
    for stream in streams:
        assert stream._data == zlib.compress(stream.get_data(), deflate.LEVEL)
    monkeypatch.setattr(deflate, "LEVEL", 9)
    slow = PdfReader(io.BytesIO(write_pdf(html)))
    assert slow.pages[0].get_contents().get_data() == reader.pages[0].get_contents().get_data()


def test_our_svgs_drawn_once_print_as_weasyprint_draws_them_and_others_fall_back(tmp_path):
    """An SVG given as ``vectors`` prints as the same SVG given as an image (WeasyPrint draws
    it on each page): as one form XObject when its drawing needs only opacity states, drawn
    on the page as before when it needs more (a gradient)."""
    import io

    from PIL import Image, ImageChops
    from pypdf import PdfReader

    from trainer.documents import write_pdfs
    from trainer.documents.vector import vector_image

    ns = 'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20" width="80pt" height="40pt"'
    plain = f'<svg {ns}><rect width="30" height="10" fill="#c00" stroke="#00c"/></svg>'
    gradient = (
        f'<svg {ns}><defs><linearGradient id="g"><stop offset="0" stop-color="#c00"/>'
        '<stop offset="1" stop-color="#00c"/></linearGradient></defs>'
        '<rect width="40" height="20" fill="url(#g)"/></svg>'
    )
    html = "<img src='trainer:image/a'><img src='trainer:image/a'>"
    for svg, forms in ((plain, 1), (gradient, 0)):
        pages = []
        for given in ({"vectors": {"a": svg}}, {"images": {"a": (svg.encode(), "image/svg+xml")}}):
            [data] = write_pdfs(html, [1], **given)
            xobjects = PdfReader(io.BytesIO(data)).pages[0]["/Resources"].get("/XObject", {})
            made = [x for x in xobjects.values() if x.get_object()["/Subtype"] == "/Form"]
            assert len(made) == (forms if "vectors" in given else 0)
            path = tmp_path / "page.pdf"
            path.write_bytes(data)
            subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", path, path], check=True)
            pages.append(Image.open(f"{path}.png").convert("RGB"))
        assert ImageChops.difference(*pages).getbbox() is None
        assert ImageChops.difference(pages[0], Image.new("RGB", pages[0].size, "white")).getbbox()
    assert vector_image(plain) is vector_image(plain)
