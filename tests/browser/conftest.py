"""A live server on the small demo province, and Debian's Chromium driven by Playwright."""

import shutil
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from trainer import create_app
from trainer.certificates.signing import generate_key_pair
from trainer.extensions import db

from ..databases import in_ci

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PASSWORD = "trainer-demo-2026"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    message = "Debian's chromium is not installed (make test installs it with apt-get)"
    if in_ci():
        raise pytest.UsageError("CI: " + message)
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=message))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app on a fresh SQLite file with the small demo, served on a free local port."""
    from flask_migrate import upgrade

    from trainer.demo.seed import seed_demo_data

    folder = tmp_path_factory.mktemp("live")
    port = free_port()
    app = create_app(
        {
            "TESTING": False,
            "SECRET_KEY": "browser-tests",
            "SIGNING_KEY": generate_key_pair()[0],
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/live.db",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "CERTIFICATE_STORE": str(folder / "certificates"),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "LOGIN_RATE_LIMIT": "100 per minute",
            "JOBS_QUEUE": f"sqlite:///{folder}/jobs.sqlite3",
        }
    )
    app.instance_path = str(folder)
    with app.app_context():
        upgrade()
        seed_demo_data("small")
        db.session.commit()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    consumer = start_job_worker(app)
    app.config["LIVE_URL"] = f"http://127.0.0.1:{port}"
    yield app
    consumer.stop(graceful=False)
    server.shutdown()


def start_job_worker(app):
    """The queue's consumer in this process, as ``make run`` runs one beside the server
    (its signal handlers are put back: pytest keeps its own)."""
    import signal

    from trainer.jobs.queue import queue_of

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    consumer = queue_of(app).create_consumer(workers=2, worker_type="thread", periodic=False)
    consumer.start()
    for sig, handler in saved.items():
        signal.signal(sig, handler)
    return consumer


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield instance
        instance.close()


TABLET = {"width": 1280, "height": 800}  # a 10-inch tablet in landscape
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_page(browser, live_app):
    """``open_page(viewport)``: a fresh browser context (no cookies) on the live server."""
    contexts = []

    def open_(viewport, **options):
        context = browser.new_context(
            viewport=viewport,
            base_url=live_app.config["LIVE_URL"],
            accept_downloads=True,
            **options,
        )
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def sign_in(page, identifier):
    page.goto("/login")
    page.fill("#identifier", identifier)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def check_accessibility(page):
    """Run axe-core (vendored) on the page; fail on serious or critical violations."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
    }""")
    assert result == [], result
