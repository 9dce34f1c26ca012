"""How to cut a batch of certificates into one PDF each: per certificate, in one process.

    python bench/passes.py [--count 40] [--chunk 20] [--repeat 3] [--append]

Three ways, timed in turns (same moments of a shared machine), on made-up certificates with
the real template, fonts and a QR code as long as a signed one:
- separate: one WeasyPrint document per certificate (our fonts and stylesheet, shared);
- one pass, each page written alone (what ``render_missing`` does: ``Document.copy``);
- one pass written as one PDF, then split with pypdf (the whole batch's fonts in every file).
"""

import argparse
import io
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import Case, section  # noqa: E402


def jobs(count):
    """``count`` certificates to print (plain objects: no database needed)."""
    from trainer.certificates.pdf import CertificateJob

    level = SimpleNamespace(name=lambda locale: "Chuẩn kỹ năng sử dụng CNTT cơ bản", code="basic")
    modules = [
        SimpleNamespace(code=f"IU0{i}", name=lambda locale, i=i: f"Mô-đun cơ bản số {i}")
        for i in range(1, 7)
    ]
    names = ["Nguyễn Tiến Thắng", "Quàng Văn Đức", "Lò Thị Hương", "Đặng Thị Ngọc Ánh"]
    return [
        CertificateJob(
            SimpleNamespace(
                issued_on=date(2026, 11, 29),
                printed_name=f"{names[i % 4]} {i}",
                printed_unit="Trường Tiểu học Sa Lông",
                level=level,
                number=f"DB-2026-{i:06d}",
                issuer="Sở Giáo dục và Đào tạo tỉnh Điện Biên",
                signatory_title="Giám đốc",
                signatory_name="",
            ),
            modules,
            f"https://trainer.example.vn/verify/code{i:012d}",
            qr_data=f"https://trainer.example.vn/verify/code{i:012d}#" + "x" * 330,
        )
        for i in range(count)
    ]


def plain_app():
    """An app on an empty in-memory database: enough to fill the certificate template."""
    from trainer import create_app

    return create_app(
        {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True}
    )


def pypdf_split(batch):
    """The batch as one PDF, cut into one file a page with pypdf."""
    from pypdf import PdfReader, PdfWriter

    from trainer.certificates.pdf import STYLESHEET, qr_png
    from trainer.documents.render import fewer_collections, render_document

    images = {
        **batch.images,
        **{name: (qr_png(data), "image/png") for name, data in batch.qr_codes.items()},
    }
    with fewer_collections():
        whole = render_document(
            batch.html, images=images, stylesheets=[STYLESHEET], layers=batch.layers
        ).write_pdf()
    reader, parts = PdfReader(io.BytesIO(whole)), []
    for page in reader.pages:
        writer, buffer = PdfWriter(), io.BytesIO()
        writer.add_page(page)
        writer.write(buffer)
        parts.append(buffer.getvalue())
    return parts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--chunk", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--append", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args(argv)

    from trainer.certificates.pdf import certificate_batch, write_certificate_pdfs

    app = plain_app()
    todo = jobs(args.count)
    with app.app_context():
        singles = [certificate_batch([job]) for job in todo]
        passes = [
            certificate_batch(todo[i : i + args.chunk]) for i in range(0, len(todo), args.chunk)
        ]
    ways = {
        "separate documents, one per certificate": lambda: [
            write_certificate_pdfs(b) for b in singles
        ],
        f"one pass of {args.chunk}, each page written alone (ours)": lambda: [
            write_certificate_pdfs(b) for b in passes
        ],
        f"one pass of {args.chunk} written whole, split with pypdf": lambda: [
            pypdf_split(b) for b in passes
        ],
    }
    samples = {name: [] for name in ways}
    sizes = {}
    for name, run in ways.items():  # warm-up: fonts, stylesheet
        sizes[name] = statistics.mean(len(pdf) for part in run() for pdf in part)
    for _ in range(args.repeat):
        for name, run in ways.items():
            started = time.perf_counter()
            run()
            samples[name].append((time.perf_counter() - started) / args.count)
    base = next(iter(ways))
    cases = [
        Case(
            f"certificate PDFs: {name}, per certificate",
            samples[name],
            baseline=None if name == base else f"certificate PDFs: {base}, per certificate",
            note=f"{sizes[name] / 1024:.0f} kB a file",
        )
        for name in ways
    ]
    section(
        "Cutting a batch of certificates into files",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `python bench/passes.py "
        f"{' '.join(argv or sys.argv[1:])}` (one process, {args.count} certificates).",
        cases,
        out=args.out,
        append=args.append,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
