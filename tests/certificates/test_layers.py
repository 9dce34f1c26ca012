"""A certificate's static layer (frame, header, emblem) is laid out once and painted under each
page: the page prints as the whole page laid out in one document."""

import dataclasses
import io
import subprocess

import pytest
from PIL import Image, ImageChops

from trainer.certificates import pdf
from trainer.certificates.design_spec import DEFAULT_DESIGN
from trainer.documents import layers

from .test_documents import SVG_EMBLEM, made_up_jobs

#: An emblem drawn half transparent: WeasyPrint paints it through a transparency group.
SEE_THROUGH = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><g opacity="0.5">'
    b'<circle cx="20" cy="20" r="18" fill="#b3261e"/><rect x="8" y="8" width="24" height="24"'
    b' fill="#16325c"/></g></svg>'
)


def a_png():
    buffer = io.BytesIO()
    Image.new("RGB", (60, 30), "#2b6cb0").save(buffer, "PNG")
    return buffer.getvalue()


IMAGES = {
    "emblem": (SVG_EMBLEM, "image/svg+xml"),
    "see-through": (SEE_THROUGH, "image/svg+xml"),
    "signature": (a_png(), "image/png"),
}


def whole(batch, jobs):
    """``batch`` as it printed before layers: every page whole, in one document."""
    html = pdf.render_template(
        "documents/certificate.html",
        pages=[pdf.page_of(job) for job in jobs],
        styles=[],
        title="Chứng chỉ",
        author=jobs[0].cert.issuer,
    )
    return dataclasses.replace(batch, html=pdf._BETWEEN_BLOCKS.sub(r"\1", html), layers=None)


def looks(tmp_path, name, data):
    """(pixels at 60 dpi, text laid out) of a one-page PDF."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", path, path], check=True)
    text = subprocess.run(
        ["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True
    ).stdout
    return Image.open(f"{path}.png").convert("RGB"), text


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"orientation": "portrait", "emblem_image": "emblem", "signature_image": "signature"},
        {"blocks": ("qr", "frame"), "subtitle": ""},
        {"orientation": "portrait", "blocks": ()},
        {"emblem_image": "see-through"},
    ],
)
def test_a_layered_page_prints_as_the_whole_page(app, tmp_path, changes):
    design = dataclasses.replace(DEFAULT_DESIGN, **changes)
    jobs = made_up_jobs(design, count=2)
    with app.test_request_context():
        batch = pdf.certificate_batch(jobs, images=IMAGES)
        before = whole(batch, jobs)
    assert len(batch.layers) == 2 and 'class="header"' not in batch.html
    assert 'class="header"' in batch.layers[0] and 'class="main"' not in batch.layers[0]
    layered, plain = pdf.write_certificate_pdfs(batch), pdf.write_certificate_pdfs(before)
    for index, (ours, theirs) in enumerate(zip(layered, plain, strict=True)):
        (our_pixels, our_text) = looks(tmp_path, f"layered{index}", ours)
        (their_pixels, their_text) = looks(tmp_path, f"whole{index}", theirs)
        assert ImageChops.difference(our_pixels, their_pixels).getbbox() is None
        assert our_text == their_text
        assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH ĐIỆN BIÊN" in our_text  # the layer's glyphs
        if design.shows("motto"):
            assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in our_text
    assert pdf.write_certificate_pdfs(batch) == layered  # the same document each time


def test_the_layer_is_laid_out_once_and_its_drawing_reused(app):
    jobs = made_up_jobs(DEFAULT_DESIGN, count=3)
    with app.test_request_context():
        batches = [pdf.certificate_batch([job]) for job in jobs]
    assert batches[0].layers == batches[1].layers  # another holder, the same layer
    layers.drop()
    alone = [pdf.write_certificate_pdfs(batch)[0] for batch in batches]
    [made] = layers._local.layers.values()
    assert made.recorded is not None  # operators, fonts and images: replayed, not drawn
    ops, fonts, _states, images = made.recorded
    assert len(images) == 1 and {font.family for font in fonts.values()} == {"Trainer Serif"}
    with app.test_request_context():
        together = pdf.write_certificate_pdfs(pdf.certificate_batch(jobs))
    assert together == alone and [*layers._local.layers.values()] == [made]


def test_a_layer_that_draws_a_transparency_group_is_painted_each_time(app, tmp_path):
    design = dataclasses.replace(DEFAULT_DESIGN, emblem_image="see-through")
    with app.test_request_context():
        batch = pdf.certificate_batch(made_up_jobs(design, count=1), images=IMAGES)
    layers.drop()
    [data] = pdf.write_certificate_pdfs(batch)
    [made] = layers._local.layers.values()
    assert made.recorded is None
    assert pdf.write_certificate_pdfs(batch) == [data]


def test_a_layer_is_one_page(app):
    from trainer.documents.render import render_document

    with pytest.raises(ValueError, match="one page"):
        render_document("<p>x</p>", layers=["<p style='break-after: page'>a</p><p>b</p>"])
