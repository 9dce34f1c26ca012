"""A cache of coverage figures that can never be stale: entries are keyed by a data version.

Every change to staff, org units, certificates, levels or targets made through the session
(ORM objects or ORM-enabled bulk statements) bumps one counter row in the same transaction;
the cache key includes the counter, so a reader sees new figures as soon as the change is
committed, in every app process. Readers pay one primary-key lookup per request.
"""

from collections import OrderedDict
from threading import Lock

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..certificates.models import Certificate
from ..curriculum.models import CertificateLevel, LevelModule
from ..extensions import db, listen_once
from ..org.models import OrgUnit, Staff
from ..org.periods import OrgUnitPath, OrgUnitPeriod, StaffPeriod
from .models import DataVersion, Target

WATCHED = (
    Staff,
    OrgUnit,
    Certificate,
    CertificateLevel,
    LevelModule,
    Target,
    StaffPeriod,
    OrgUnitPeriod,
    OrgUnitPath,
)
WATCHED_TABLES = {model.__table__ for model in WATCHED}
MAX_ENTRIES = 512

_entries = OrderedDict()
_lock = Lock()


def current_version():
    return db.session.scalar(select(DataVersion.version).where(DataVersion.name == "coverage"))


def bump(session=None):
    """Mark the coverage data as changed (call after bulk writes that bypass the ORM)."""
    (session or db.session).execute(
        update(DataVersion)
        .where(DataVersion.name == "coverage")
        .values(version=DataVersion.version + 1)
    )


def cached(key, compute):
    """``compute()`` once per (data version, key) in this process."""
    full_key = (current_version(), *key)
    with _lock:
        if full_key in _entries:
            _entries.move_to_end(full_key)
            return _entries[full_key]
    value = compute()
    with _lock:
        _entries[full_key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear():
    with _lock:
        _entries.clear()


def _note_changes(session, flush_context, instances):
    if any(isinstance(obj, WATCHED) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info["coverage_changed"] = True


def _bump_after_flush(session, flush_context):
    if session.info.pop("coverage_changed", False):
        bump(session)


def _bump_on_bulk(orm_execute_state):
    """ORM-enabled INSERT/UPDATE/DELETE statements (imports, bulk issuing) bump too."""
    if orm_execute_state.is_select:
        return
    table = getattr(orm_execute_state.statement, "table", None)
    if table is not None and table in WATCHED_TABLES:
        bump(orm_execute_state.session)


def register_listeners():
    """Bump the data version whenever what coverage reads changes (called by ``create_app``)."""
    listen_once(Session, "before_flush", _note_changes)
    listen_once(Session, "after_flush_postexec", _bump_after_flush)
    listen_once(Session, "do_orm_execute", _bump_on_bulk)
