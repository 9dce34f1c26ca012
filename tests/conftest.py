"""Fixtures app, db, client, runner and login_as; every app test runs on both databases."""

from contextlib import contextmanager

import pytest
from flask import current_app
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession

from trainer import create_app
from trainer.extensions import db as _db

from . import factories
from .databases import in_ci, postgres_url

BACKENDS = ["sqlite"]
PG_URL = None
PG_PROBLEM = None


def pytest_configure(config):
    global PG_URL, PG_PROBLEM
    config.addinivalue_line(
        "markers",
        "committed: the test's writes are really committed (other processes, "
        "threads or connections read them) and every table is emptied after it; other "
        "tests run inside a transaction that is rolled back",
    )
    PG_URL, PG_PROBLEM = postgres_url()
    if PG_URL:
        BACKENDS.append("postgresql")
    elif in_ci():
        pytest.exit(f"CI: PostgreSQL is unreachable, refusing to run SQLite only ({PG_PROBLEM})", 3)


def pytest_report_header(config):
    lines = ["databases: " + ", ".join(BACKENDS)]
    if PG_PROBLEM:
        lines.append("!" * 70)
        lines.append(f"WARNING: PostgreSQL unreachable, running on SQLite only: {PG_PROBLEM}")
        lines.append("!" * 70)
    return lines


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line("databases ran: " + ", ".join(BACKENDS))
    if PG_PROBLEM:
        terminalreporter.write_line(
            f"WARNING: PostgreSQL was NOT tested (unreachable: {PG_PROBLEM})", red=True
        )


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", BACKENDS, indirect=True, scope="session")


def base_config(url, **extra):
    """The configuration every test app starts from."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "ONE_TIME_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "PUBLIC_BASE_URL": "https://trainer.example.vn",
        "SERVER_NAME": None,
    }
    config.update(extra)
    return config


def reset_postgres(url):
    """Drop every table of the test database so that migrations start from nothing."""
    import psycopg

    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(scope="session")
def backend(request, tmp_path_factory):
    """A database migrated from empty, once per session and backend: (name, url)."""
    if request.param == "sqlite":
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")
    else:
        url = PG_URL
        reset_postgres(url)
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        snapshot_reference_data()
        _db.engine.dispose()
    return request.param, url


# Tables whose rows the migrations create; tests may change them, so they are restored.
REFERENCE_TABLES = (
    "modules",
    "certificate_levels",
    "level_modules",
    "data_versions",
    "certificate_designs",
    "certificate_design_versions",
)
REFERENCE_ROWS = {}


def snapshot_reference_data():
    with _db.engine.connect() as conn:
        for name in REFERENCE_TABLES:
            table = _db.metadata.tables[name]
            REFERENCE_ROWS[name] = [dict(row._mapping) for row in conn.execute(table.select())]


def clean_tables():
    """Delete every row the test wrote and put the migrations' reference data back."""
    from trainer.coverage import cache

    cache.clear()  # the data version starts again from the same number
    _db.session.remove()
    with _db.engine.begin() as conn:
        for table in reversed(_db.metadata.sorted_tables):
            conn.execute(table.delete())
        # the triggers noted the people whose periods and certificates went (see
        # coverage/states.py): nobody is left, so nobody is stale
        conn.execute(_db.metadata.tables["staff_states_stale"].delete())
        for table in _db.metadata.sorted_tables:
            if REFERENCE_ROWS.get(table.name):
                conn.execute(table.insert(), REFERENCE_ROWS[table.name])


class BoundSession(FlaskSession):
    """Flask-SQLAlchemy's session on the test's one connection (it would pick the engine);
    another app a test builds (on another database) keeps its own engine."""

    def __init__(self, db, *, tested_app, **kwargs):
        super().__init__(db, **kwargs)
        self.tested_app = tested_app

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is not None:
            return bind
        if current_app._get_current_object() is not self.tested_app:
            return super().get_bind(mapper, clause, **kwargs)
        return self.bind


@contextmanager
def rolled_back():
    """Run a test inside one transaction on one connection and roll it back at the end.

    SQLAlchemy's "Joining a Session into an External Transaction": every session the app
    opens (one per request, CLI command or ``db`` fixture) is bound to that connection with
    ``join_transaction_mode="create_savepoint"``, so its commits release a SAVEPOINT and its
    rollbacks return to one, and nothing reaches the database for good.
    """
    connection = _db.engine.connect()
    transaction = connection.begin()
    if connection.dialect.name == "sqlite":
        # pysqlite opens transactions on its own and not before a SAVEPOINT: take over, as
        # SQLAlchemy's pysqlite notes show, so that SAVEPOINT … RELEASE never commits
        connection.connection.driver_connection.isolation_level = None
        connection.exec_driver_sql("BEGIN")
    original = _db.session
    _db.session = _db._make_scoped_session(
        {
            "class_": BoundSession,
            "bind": connection,
            "tested_app": current_app._get_current_object(),
            "join_transaction_mode": "create_savepoint",
        }
    )
    try:
        yield
    finally:
        _db.session.remove()
        _db.session = original
        transaction.rollback()
        connection.close()


@pytest.fixture
def app(backend, tmp_path, request):
    """The app on the test database; what a test writes is rolled back after it, or, for
    tests marked ``committed`` (other processes, threads or connections must see their
    writes), really committed and deleted afterwards."""
    _name, url = backend
    app = create_app(base_config(url))
    app.instance_path = str(tmp_path)
    if request.node.get_closest_marker("committed"):
        yield app
        with app.app_context():
            clean_tables()
            _db.engine.dispose()
        return
    with app.app_context():
        isolation = rolled_back()
        isolation.__enter__()
    try:
        yield app
    finally:
        from trainer.coverage import cache

        cache.clear()  # the data version is rolled back to the same number
        with app.app_context():
            isolation.__exit__(None, None, None)
            _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database extension, inside an application context."""
    with app.app_context():
        yield _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def tree(db):
    """A small province: DB → DB-A (district) → DB-A-S1, DB-A-S2 (schools); DB → DB-B → DB-B-S1."""
    units = factories.make_tree()
    db.session.commit()
    return units


@pytest.fixture
def login_as(client, tree, db):
    """``login_as(role, unit_code=...)`` creates a user of that role and signs the client in."""

    def login(role, unit_code=None):
        user = factories.make_user(role, tree[unit_code or factories.DEFAULT_UNIT[role]])
        db.session.commit()
        identifier = user.email or user.staff.staff_code
        response = client.post(
            "/login", data={"identifier": identifier, "password": factories.PASSWORD}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login
