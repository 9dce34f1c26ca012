"""Configuration: defaults here, then ``instance/config.py``, then environment variables."""

import base64
import os
import secrets
from pathlib import Path

#: Environment variables read at start-up, each overriding the setting of the same name.
ENV_SETTINGS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "PUBLIC_BASE_URL",
    "CERTIFICATE_PREFIX",
    "RATELIMIT_STORAGE_URI",
    "LOGIN_RATE_LIMIT",
    "LOGIN_ADDRESS_RATE_LIMIT",
    "VERIFY_RATE_LIMIT",
    "TRAINER_ENV",
    "PROXY_COUNT",
    "JOBS_QUEUE",
    "BACKUP_DIR",
    "SIGNING_KEY",
    "SIGNING_KEYS_RETIRED",
    "TIMEZONE",
    "CHECKIN_SIGNING_KEY",
    "WARM_UP_DOCUMENTS",
    "SQLITE_LIBRARY",
)


class Defaults:
    """Settings every deployment starts from."""

    TRAINER_ENV = "production"
    SECRET_KEY = None
    DATABASE_URL = None  # None: SQLite file in the instance folder
    # None: the address `trainer run` (or `make run`) serves, http://HOST:PORT from its
    # --host/--port (FLASK_RUN_HOST, FLASK_RUN_PORT), else http://127.0.0.1:5000. Set it in
    # production: the address printed in certificates' QR codes and check-in links.
    PUBLIC_BASE_URL = None
    CERTIFICATE_PREFIX = "DB"
    # The product's name, ending every browser tab's title in both languages (a proper name)
    PRODUCT_NAME = "Bồi dưỡng CNTT"
    CERTIFICATE_ISSUER = "Sở Giáo dục và Đào tạo tỉnh Điện Biên"
    CERTIFICATE_SIGNATORY_NAME = ""
    CERTIFICATE_SIGNATORY_TITLE = "Giám đốc"
    CERTIFICATE_PLACE = "Điện Biên"
    # Bulk rendering: certificates read from the database at a time, laid out in one
    # WeasyPrint pass, and the processes that lay them out (below 2: the app's own process).
    CERTIFICATE_RENDER_BATCH = 200
    CERTIFICATE_RENDER_CHUNK = 20
    CERTIFICATE_RENDER_WORKERS = min(2, os.cpu_count() or 1)
    # At start, load what the first certificate needs (fonts, stylesheet, template): the web
    # processes and the job worker set it (``WARM_UP_DOCUMENTS=1``); CLI commands and tests
    # do not pay for it.
    WARM_UP_DOCUMENTS = False
    # Separation of duties: nobody records results for, or issues a certificate to, themself
    # (admins included). Only an administrator's setting in instance/config.py lifts it.
    ALLOW_SELF_CERTIFICATION = False
    VERIFY_RATE_LIMIT = "60 per minute"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Failed sign-ins only (a success costs nothing): per account, whichever identifier was
    # typed (email or staff code), and per address, sized for a whole school or district
    # office behind one NAT address (hundreds of people, a class signing in at once).
    LOGIN_RATE_LIMIT = "10 per 10 minutes"
    LOGIN_ADDRESS_RATE_LIMIT = "300 per 10 minutes"
    API_FAILED_AUTH_LIMIT = "30 per minute"
    # QR self check-in: wrong codes allowed per user, and per session (all users together),
    # within CHECKIN_LOCK_MINUTES before self check-in is locked (the trainer can still mark).
    CHECKIN_FAILURES_PER_USER = 5
    CHECKIN_FAILURES_PER_SESSION = 30
    CHECKIN_LOCK_MINUTES = 10
    BABEL_DEFAULT_LOCALE = "vi"
    TIMEZONE = "Asia/Ho_Chi_Minh"  # whose "today" dates default to (trainer.timeutil)
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a tablet left open all morning must still submit
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # SQLite databases: "bundled" (pysqlite3-binary's recent SQLite, where installed) or
    # "system" (the standard library's sqlite3 and the system's SQLite)
    SQLITE_LIBRARY = "bundled"
    PASSWORD_HASH_METHOD = "scrypt"
    # One-time passwords are random (about 50 bits), so a lighter hash is enough and lets a
    # district get its thousands of accounts in seconds; the chosen password gets scrypt.
    ONE_TIME_PASSWORD_HASH_METHOD = "pbkdf2:sha256:10000"
    PAGE_SIZE = 50
    # How many reverse proxies (nginx…) stand in front of the app: their X-Forwarded-For and
    # X-Forwarded-Proto are then trusted, for the client's address (rate limits, audit) and
    # HTTPS (HSTS, Secure cookies). 0 when the app is reached directly.
    PROXY_COUNT = 0
    # The job queue: unset → a SQLite file in the instance folder (no server needed);
    # "redis://host:6379/1" → Redis, for workers on several machines; "immediate" → jobs run
    # inside the call that starts them (the tests' default).
    JOBS_QUEUE = None
    JOBS_WORKERS = 2
    # A running job whose worker has not reported for this long is queued again.
    JOBS_STALE_SECONDS = 120
    # Hours after a job's end its files are kept (exports, merged PDFs, ZIPs) …
    JOBS_FILES_KEEP_HOURS = 7 * 24
    # … and its private files (one-time password sheets) and uploads left waiting.
    JOBS_PRIVATE_FILES_KEEP_HOURS = 24
    # Exports of more rows than this are written by a job (the staff list of a province).
    EXPORT_INLINE_ROWS = 3000
    # Imports of files with more rows than this are checked and written by jobs (a district's
    # or the province's roster); a school's file keeps the one-page flow.
    IMPORT_INLINE_ROWS = 2000
    BACKUP_DIR = None  # None: instance/backups (the nightly backup keeps the last 14)
    # The province's Ed25519 key that signs the statement in every certificate's QR code and
    # the Open Badges credentials: PEM or the base64 of its 32 bytes (``trainer keys generate``).
    SIGNING_KEY = None
    # Public keys of earlier signing keys (PEM or base64), still published so that the
    # certificates printed with them keep verifying: a list, or base64 keys separated by commas.
    SIGNING_KEYS_RETIRED = ()
    # Ed25519 seed (base64url) signing teachers' personal check-in cards; None: a file in the
    # instance folder in development, else derived from SECRET_KEY (training/checkin_keys.py).
    CHECKIN_SIGNING_KEY = None
    OFFLINE_DAYS = 14  # "Dùng khi mất mạng" downloads the sessions of this many coming days
    SYNC_BATCH_LIMIT = 50  # items per sync request


def normalise_database_url(url):
    """Make ``postgres://`` and ``postgresql://`` URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def apply_environment(config, environ=None):
    """Copy the settings listed in ``ENV_SETTINGS`` from the environment into ``config``."""
    environ = os.environ if environ is None else environ
    for name in ENV_SETTINGS:
        if environ.get(name):
            config[name] = environ[name]


def sqlite_engine_options(library=None):
    """Engine options for an SQLite database: the recent SQLite that ``pysqlite3-binary``
    bundles (3.51, where Linux x86-64 has it: setup.cfg) rather than the system's library
    (3.40 on Debian 12, built without lookaside memory), unless ``library`` is ``"system"``.
    The bundled one runs the province's coverage breakdown's query in 6.9 ms of CPU instead of
    8.3 ms (bench/results.md); the database files are the same format."""
    if (library or "bundled") == "system":
        return {}
    try:
        from pysqlite3 import dbapi2
    except ImportError:  # not installed on this platform: the system's SQLite
        return {}
    return {"module": dbapi2}


def finalise(config, instance_path):
    """Derive the settings that depend on others; refuse to start without a secret in production."""
    url = config.get("SQLALCHEMY_DATABASE_URI") or config.get("DATABASE_URL")
    if not url:
        url = "sqlite:///" + str(Path(instance_path) / "trainer.db")
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    if url.startswith("sqlite"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = sqlite_engine_options(config.get("SQLITE_LIBRARY"))
    config["PUBLIC_BASE_URL"] = (config.get("PUBLIC_BASE_URL") or served_base_url()).rstrip("/")
    config["PROXY_COUNT"] = int(config.get("PROXY_COUNT") or 0)
    config["WARM_UP_DOCUMENTS"] = str(config.get("WARM_UP_DOCUMENTS")).lower() in (
        "1",
        "true",
        "yes",
        "on",
    )
    if config.get("TESTING") and not config.get("JOBS_QUEUE"):
        config["JOBS_QUEUE"] = "immediate"
    if not config.get("SECRET_KEY"):
        if config.get("TRAINER_ENV") != "development" and not config.get("TESTING"):
            raise RuntimeError(
                "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
                "(for example: export SECRET_KEY=$(python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')) or put it in instance/config.py. "
                "For local development only, set TRAINER_ENV=development."
            )
        config["SECRET_KEY"] = development_secret(instance_path)
    if not config.get("SIGNING_KEY"):
        if config.get("TRAINER_ENV") != "development" and not config.get("TESTING"):
            raise RuntimeError(
                "SIGNING_KEY is not set. Make the province's key once with "
                "`trainer keys generate`, keep the private key safe and set it as the "
                "SIGNING_KEY environment variable or in instance/config.py (the same key on "
                "every server). For local development only, set TRAINER_ENV=development."
            )
        config["SIGNING_KEY"] = development_signing_key(instance_path)
    from .training.checkin_keys import configure as configure_checkin_key

    configure_checkin_key(config, instance_path)


def served_base_url(environ=None):
    """The address the development server serves, from ``trainer run``'s host and port."""
    environ = os.environ if environ is None else environ
    host = environ.get("FLASK_RUN_HOST") or "127.0.0.1"
    # every interface, the loopback one among them: a comparison, nothing binds here
    if host in ("0.0.0.0", "::"):  # nosec B104
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{environ.get('FLASK_RUN_PORT') or 5000}"


def development_secret(instance_path):
    """Return a random key kept in ``instance/secret_key``, creating it on first use."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def development_signing_key(instance_path):
    """Return a random Ed25519 key (base64 of its 32 bytes) kept in ``instance/signing_key``."""
    path = Path(instance_path) / "signing_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()
