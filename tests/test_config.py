"""The application factory and configuration layering."""

import pytest
from flask import Flask

from trainer import create_app, register_config
from trainer.config import normalise_database_url


def test_test_config_wins(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "vi"


def test_missing_secret_key_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("TRAINER_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


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
