"""Flask extensions, created unbound and initialised in ``create_app``."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

# Named constraints so that Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))


def _sqlite_foreign_keys(dbapi_connection, connection_record):
    """SQLite checks foreign keys only when asked, per connection: ask, as PostgreSQL does."""
    # the standard library's ``sqlite3`` or the bundled SQLite of ``pysqlite3`` (config.py)
    if type(dbapi_connection).__module__.split(".")[0] in ("sqlite3", "pysqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def listen_once(target, identifier, fn):
    """Register an SQLAlchemy event listener unless it already is: listeners are global to the
    process, and ``create_app`` may run many times in one (the tests make an app per test)."""
    if not event.contains(target, identifier, fn):
        event.listen(target, identifier, fn)


def register_listeners():
    """Foreign keys checked on every SQLite connection (called by ``create_app``)."""
    listen_once(Engine, "connect", _sqlite_foreign_keys)


migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
