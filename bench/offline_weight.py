"""What the offline app adds to a trainer's first load (issue 18 item 7: at most 60 kB).

    python bench/offline_weight.py

Seeds the small demo in a temporary SQLite file, signs the demo trainer in with Flask's test
client and opens Home, a session page and its results page. Every script those pages load
(except busy.js, which every page had before the offline work), the service worker and the web
manifest are fetched as the app serves them, and each page's offline markup (the pending
counter, the export button, the scripts' messages) is counted once per page; prints each one's
bytes as served (the app sends files uncompressed) and gzipped (level 6, what a reverse proxy's
gzip typically sends), and the sums.
The vendored QR decoder and tweetnacl are not part of a first load: they come with the
"Dùng khi mất mạng" download (and scan.js loads them when the camera is used).
"""

import gzip
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET = 60_000
NOT_OFFLINE = ("/static/js/busy.js",)  # every page's, older than the offline app


def offline_scripts(client, pages):
    """``{url: bytes}`` of the service worker, the web manifest, the scripts ``pages`` load
    and, per page, the offline markup it carries (the pending counter, the export button and
    the messages the scripts show, ``templates/_offline_strings.html``)."""
    urls, markup = ["/sw.js"], {}
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        found = re.findall(r'<script src="([^"]+)"', html)
        found += re.findall(r'<link rel="manifest" href="([^"]+)"', html)
        for src in found:
            if src not in urls and not src.startswith(NOT_OFFLINE):
                urls.append(src)
        strings = re.search(
            r'<span id="offline-status".*?<span id="offline-strings".*?</span>', html, re.S
        )
        if strings:
            markup[f"{page} (offline markup)"] = strings.group(0).encode()
    return {url: client.get(url).data for url in urls} | markup


def main():
    from flask_migrate import upgrade
    from sqlalchemy import select

    from trainer import create_app
    from trainer.accounts.models import User
    from trainer.certificates.signing import generate_key_pair
    from trainer.demo.seed import DEMO_PASSWORD, seed_demo_data
    from trainer.extensions import db
    from trainer.training.queries import led_by

    folder = tempfile.mkdtemp(prefix="trainer-offline-weight-")
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SIGNING_KEY": generate_key_pair()[0],
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
            "CERTIFICATE_STORE": f"{folder}/certificates",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "JOBS_QUEUE": f"sqlite:///{folder}/jobs.sqlite3",
            "WTF_CSRF_ENABLED": False,
        }
    )
    app.instance_path = folder
    with app.app_context():
        upgrade()
        seed_demo_data("small")
        db.session.commit()
        trainer = db.session.scalar(select(User).where(User.email == "trainer@demo.trainer.vn"))
        session = led_by(trainer.staff)[0]
        pages = ["/home", f"/sessions/{session.id}", f"/sessions/{session.id}/results"]
    client = app.test_client()
    client.post("/login", data={"identifier": trainer.email, "password": DEMO_PASSWORD})
    files = offline_scripts(client, pages)
    print(f"Pages: {', '.join(pages)} (demo trainer, first load)\n")
    print("| file | bytes as served | gzip -6 |")
    print("|---|---:|---:|")
    raw = packed = 0
    for url, data in files.items():
        size = len(gzip.compress(data, 6))
        raw, packed = raw + len(data), packed + size
        print(f"| `{url.split('?')[0]}` | {len(data):,} | {size:,} |")
    print(f"| **total** | **{raw:,}** | **{packed:,}** |")
    met = max(raw, packed) <= BUDGET
    print(f"\nBudget {BUDGET:,} bytes: {'met' if met else 'EXCEEDED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
