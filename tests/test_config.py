"""The application factory and configuration layering."""

import pytest
from flask import Flask

from trainer import create_app, register_config
from trainer.certificates.signing import generate_key_pair
from trainer.config import normalise_database_url

KEY = generate_key_pair()[0]


@pytest.fixture(autouse=True)
def signing_key(monkeypatch):
    """A production app needs the province's signing key as it needs its SECRET_KEY."""
    monkeypatch.setenv("SIGNING_KEY", KEY)


def test_test_config_wins(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "vi"


def test_missing_secret_key_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("TRAINER_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_missing_signing_key_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("SIGNING_KEY")
    monkeypatch.setenv("TRAINER_ENV", "production")
    with pytest.raises(RuntimeError, match="SIGNING_KEY is not set.*trainer keys generate"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_unusable_signing_key_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("SIGNING_KEY", "not-a-key")
    with pytest.raises(RuntimeError, match="SIGNING_KEY or SIGNING_KEYS_RETIRED is not usable"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_signing_key_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SIGNING_KEY"] == KEY
    assert not (tmp_path / "signing_key").exists()


def test_development_generates_and_keeps_a_signing_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SIGNING_KEY")
    monkeypatch.setenv("TRAINER_ENV", "development")
    apps = [
        Flask("trainer", instance_path=str(tmp_path), instance_relative_config=True)
        for _ in range(2)
    ]
    for app in apps:
        register_config(app, None)
    key = apps[0].config["SIGNING_KEY"]
    assert (tmp_path / "signing_key").read_text().strip() == key
    assert apps[1].config["SIGNING_KEY"] == key
    assert oct((tmp_path / "signing_key").stat().st_mode & 0o777) == "0o600"


def test_development_generates_and_keeps_a_random_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("TRAINER_ENV", "development")
    app_a = Flask("trainer", instance_path=str(tmp_path), instance_relative_config=True)
    app_b = Flask("trainer", instance_path=str(tmp_path), instance_relative_config=True)
    register_config(app_a, None)
    register_config(app_b, None)
    first, second = app_a, app_b
    key = first.config["SECRET_KEY"]
    assert len(key) >= 40
    assert (tmp_path / "secret_key").read_text().strip() == key
    assert key == second.config["SECRET_KEY"]


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("CERTIFICATE_PREFIX", "LC")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://verify.example.vn/")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["CERTIFICATE_PREFIX"] == "LC"
    assert app.config["PUBLIC_BASE_URL"] == "https://verify.example.vn"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_default_database_is_sqlite_in_instance(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{app.instance_path}/trainer.db"
    assert app.config["CERTIFICATE_PREFIX"] == "DB"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_instance_config_file_is_read(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("CERTIFICATE_PREFIX", raising=False)
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://env.example.vn")
    (tmp_path / "config.py").write_text(
        "CERTIFICATE_PREFIX = 'SO'\nPUBLIC_BASE_URL = 'https://file.example.vn'\n"
    )
    app = Flask("trainer", instance_path=str(tmp_path), instance_relative_config=True)
    register_config(app, None)
    assert app.config["CERTIFICATE_PREFIX"] == "SO"  # the instance file beats the defaults
    assert app.config["PUBLIC_BASE_URL"] == "https://env.example.vn"  # the environment beats it


@pytest.mark.parametrize(
    "url, expected",
    [
        ("postgres://a@b/c", "postgresql+psycopg://a@b/c"),
        ("postgresql://a@b/c", "postgresql+psycopg://a@b/c"),
        ("postgresql+psycopg://a@b/c", "postgresql+psycopg://a@b/c"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_url_normalised(url, expected):
    assert normalise_database_url(url) == expected


def development_app(tmp_path):
    app = Flask("trainer", instance_path=str(tmp_path), instance_relative_config=True)
    register_config(app, None)
    return app


def unset(monkeypatch, *names):
    """Remove ``names`` from the environment, and whatever the test sets them to after it."""
    for name in names:
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)


def test_public_base_url_defaults_to_the_address_served(monkeypatch, tmp_path):
    """`PORT=5101 make run` (FLASK_RUN_PORT) prints links and QR codes to :5101, not :5000."""
    monkeypatch.setenv("TRAINER_ENV", "development")
    unset(monkeypatch, "PUBLIC_BASE_URL", "FLASK_RUN_HOST", "FLASK_RUN_PORT")
    assert development_app(tmp_path).config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5000"
    monkeypatch.setenv("FLASK_RUN_PORT", "5101")
    assert development_app(tmp_path).config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5101"
    monkeypatch.setenv("FLASK_RUN_HOST", "192.168.1.20")
    assert development_app(tmp_path).config["PUBLIC_BASE_URL"] == "http://192.168.1.20:5101"
    monkeypatch.setenv("FLASK_RUN_HOST", "0.0.0.0")
    assert development_app(tmp_path).config["PUBLIC_BASE_URL"] == "http://127.0.0.1:5101"
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://trainer.example.vn/")
    assert development_app(tmp_path).config["PUBLIC_BASE_URL"] == "https://trainer.example.vn"


def test_trainer_run_tells_the_app_its_port(monkeypatch, tmp_path):
    """``trainer run --port 5101``: the app it serves makes its links to :5101."""
    import flask.cli
    from click.testing import CliRunner
    from flask.cli import FlaskGroup

    from trainer.cli import served_run_command

    monkeypatch.setenv("TRAINER_ENV", "development")
    unset(monkeypatch, "PUBLIC_BASE_URL", "FLASK_RUN_HOST", "FLASK_RUN_PORT", "FLASK_DEBUG")
    served = {}

    def run_simple(host, port, app, **options):
        served.update(host=host, port=port, url=app.config["PUBLIC_BASE_URL"])

    monkeypatch.setattr(flask.cli, "run_simple", run_simple)  # flask.cli's own name for it
    cli = FlaskGroup(create_app=lambda: development_app(tmp_path))
    cli.add_command(served_run_command())
    result = CliRunner().invoke(cli, ["run", "--port", "5101"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert served == {"host": "127.0.0.1", "port": 5101, "url": "http://127.0.0.1:5101"}


def test_sqlite_databases_use_the_bundled_sqlite_where_installed(tmp_path):
    """pysqlite3-binary's recent SQLite (setup.cfg: Linux x86-64) serves SQLite databases,
    foreign keys still enforced; SQLITE_LIBRARY=system keeps the standard library's."""
    from sqlalchemy import text

    from trainer.extensions import db

    pysqlite3 = pytest.importorskip("pysqlite3.dbapi2")  # installed where a wheel exists
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "TESTING": True}
    bundled = create_app({**config, "SECRET_KEY": "k"})
    system = create_app({**config, "SECRET_KEY": "k", "SQLITE_LIBRARY": "system"})
    with bundled.app_context():
        assert db.engine.dialect.dbapi is pysqlite3
        assert db.session.scalar(text("SELECT sqlite_version()")) == pysqlite3.sqlite_version
        assert db.session.scalar(text("PRAGMA foreign_keys")) == 1
    with system.app_context():
        import sqlite3

        assert db.engine.dialect.dbapi.__name__.startswith("sqlite3")
        assert db.session.scalar(text("SELECT sqlite_version()")) == sqlite3.sqlite_version
        assert db.session.scalar(text("PRAGMA foreign_keys")) == 1


def test_the_bundled_sqlite_is_installed_where_setup_cfg_asks_for_it():
    """On Linux x86-64 (CI's machine) the dependency must be there, not silently skipped."""
    import platform

    if platform.system() == "Linux" and platform.machine() == "x86_64":
        import pysqlite3.dbapi2  # noqa: F401
