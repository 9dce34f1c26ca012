"""CPU time of a lone certificate and of a certificate's first download, in this tree.

    python bench/cpu_first_download.py [--db SEEDED.db] [--count 40] [--rounds 8]

- lone: ``bench/passes.py``'s made-up certificates, one WeasyPrint document each (the render
  alone, no request), ``--rounds`` rounds of ``--count``: median CPU per certificate;
- download (given ``--db``, a seeded province SQLite file, copied first): ``GET
  /certificates/<number>.pdf`` of never-rendered certificates through Flask's test client,
  after three: median CPU and wall per request.
CPU (``time.process_time``) rather than wall: on a shared machine, runs of two trees
alternated give comparable figures (bench/notes-h16f.md).
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def lone(count, rounds):
    from bench.passes import jobs, plain_app
    from trainer.certificates.pdf import certificate_batch, write_certificate_pdfs

    app = plain_app()
    with app.app_context():
        singles = [certificate_batch([job]) for job in jobs(count)]
    for batch in singles[:3]:  # fonts, stylesheets
        write_certificate_pdfs(batch)
    samples = []
    for _ in range(rounds):
        started = time.process_time()
        for batch in singles:
            write_certificate_pdfs(batch)
        samples.append((time.process_time() - started) / count)
    return statistics.median(samples)


def downloads(database, count):
    from sqlalchemy import select

    from bench.run import make_app
    from trainer.certificates.models import Certificate
    from trainer.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(database, f"{tmp}/province.db")
        app = make_app(f"sqlite:///{tmp}/province.db", f"{tmp}/certificates")
        with app.app_context():
            numbers = db.session.scalars(
                select(Certificate.number)
                .where(Certificate.external.is_(False))
                .order_by(Certificate.id)
                .limit(count + 3)
            ).all()
        client = app.test_client()
        client.post(
            "/login",
            data={"identifier": "admin@demo.trainer.vn", "password": "trainer-demo-2026"},
        )
        for number in numbers[count:]:
            client.get(f"/certificates/{number}.pdf")
        cpu, wall = [], []
        for number in numbers[:count]:
            started, clock = time.process_time(), time.perf_counter()
            assert client.get(f"/certificates/{number}.pdf").status_code == 200
            cpu.append(time.process_time() - started)
            wall.append(time.perf_counter() - clock)
    return statistics.median(cpu), statistics.median(wall)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="a seeded province SQLite database (copied)")
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args(argv)
    print(f"lone certificate: CPU {lone(args.count, args.rounds) * 1e3:.2f} ms")
    if args.db:
        cpu, wall = downloads(args.db, args.count)
        print(f"first download: CPU {cpu * 1e3:.2f} ms, wall {wall * 1e3:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
