"""What WeasyPrint costs at the least for a page of a certificate's words: CPU a page.

    python bench/floor.py [--count 20] [--repeat 5] [--append]

Three documents of ``--count`` pages each, laid out in one pass and written one PDF a page
(as bulk issuing does), with our fonts, timed in CPU seconds of this process (the floor does
not depend on what else the machine runs):
- one line of text a page (a holder's name): WeasyPrint's cost of a page and of a PDF;
- the words a certificate prints (22 lines: issuer, motto, title, sentences, six modules,
  number, address, place and date, signatory) as plain paragraphs in one font: no frame,
  colours, emblem, QR code or positioning; and the same lines as one paragraph (``<br>``);
- our certificate (the default design, the real template, a QR code as long as a signed one).

Issue 17 asks the province's bulk issue to complete, rendered, in ≤ 5 ms a certificate end to
end; on this 2-core machine that is at most 10 ms of CPU a certificate for everything (issuing,
storing, rendering). The second line is below what any certificate design can cost.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import Case, section  # noqa: E402
from bench.passes import jobs, plain_app  # noqa: E402

WORDS = [
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH ĐIỆN BIÊN",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "GIẤY CHỨNG NHẬN",
    "Chuẩn kỹ năng sử dụng công nghệ thông tin cơ bản",
    "Chứng nhận Ông/Bà",
    "Nguyễn Tiến Thắng",
    "Đơn vị: Trường Tiểu học Sa Lông",
    "đã hoàn thành chương trình bồi dưỡng",
    "Các mô-đun đã hoàn thành",
    *(f"IU0{i} Mô-đun cơ bản số {i}" for i in range(1, 7)),
    "Số: DB-2026-000001",
    "Tra cứu tại:",
    "https://trainer.example.vn/verify/code000000000001",
    "Điện Biên, ngày 29 tháng 11 năm 2026",
    "GIÁM ĐỐC",
    "Lò Văn Hương",
]


def plain(count, lines, one_paragraph=False):
    if one_paragraph:  # the fewest boxes: one block, lines broken by <br>
        body = ["<p>" + "<br>".join(lines) + "<br>{i}</p>"]
    else:
        body = [*(f"<p>{line}</p>" for line in lines), "<p>{i}</p>"]
    pages = "".join(
        "<section style='page-break-after: always'>" + "".join(body).format(i=i) + "</section>"
        for i in range(count)
    )
    return f"<html><body style='font-family: \"Trainer Serif\"; margin: 0'>{pages}</body></html>"


def cpu_per_page(run, count, repeat):
    run()  # warm-up: fonts, stylesheets
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        run()
        samples.append((time.process_time() - started) / count)
    return samples


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--append", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args(argv)

    from trainer.certificates.pdf import certificate_batch, write_certificate_pdfs
    from trainer.documents.render import write_pdfs

    app = plain_app()
    with app.app_context():
        batch = certificate_batch(jobs(args.count))
    n = args.count
    ways = {
        "one line of text a page": lambda: write_pdfs(plain(n, WORDS[6:7]), [1] * n),
        f"a certificate's words, {len(WORDS)} plain lines a page": lambda: write_pdfs(
            plain(n, WORDS), [1] * n
        ),
        f"the same {len(WORDS)} lines in one paragraph (<br>)": lambda: write_pdfs(
            plain(n, WORDS, one_paragraph=True), [1] * n
        ),
        "our certificate (default design)": lambda: write_certificate_pdfs(batch),
    }
    cases = [
        Case(
            f"WeasyPrint CPU a page, pass of {n}: {name}",
            cpu_per_page(run, n, args.repeat),
            note="CPU time; 5 ms a certificate on 2 cores allows 10 ms of CPU for everything",
        )
        for name, run in ways.items()
    ]
    section(
        "The floor: WeasyPrint's CPU for a page of a certificate's words",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} with `python bench/floor.py "
        f"{' '.join(argv or sys.argv[1:])}` (one process, CPU time, medians of {args.repeat}).",
        cases,
        out=args.out,
        append=args.append,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
