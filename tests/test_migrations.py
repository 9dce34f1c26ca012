"""The schema comes from migrations, and the migrations match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

# Alembic connects on its own: real commits
pytestmark = pytest.mark.committed


def test_migrations_build_every_table(db):
    tables = set(inspect(db.engine).get_table_names())
    assert {
        "org_units",
        "staff",
        "users",
        "api_tokens",
        "audit_entries",
        "modules",
        "certificate_levels",
        "level_modules",
        "results",
        "certificates",
        "certificate_sequences",
        "targets",
    } <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_upgrade_on_current_database_changes_nothing(runner, db):
    def version():
        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_heads()

    before = version()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert version() == before
    assert before  # a revision is recorded


def test_reference_data_from_the_migration(db):
    from sqlalchemy import select

    from trainer.curriculum.models import CertificateLevel, Module

    codes = list(db.session.scalars(select(Module.code).order_by(Module.sort_order)))
    assert codes[:15] == [f"IU{i:02d}" for i in range(1, 16)]
    assert len(codes) == 20 and all(c.startswith("DS") for c in codes[15:])
    levels = {level.code: level for level in db.session.scalars(select(CertificateLevel))}
    basic, advanced = levels["basic"], levels["advanced"]
    assert [m.code for m in basic.required_modules] == [f"IU{i:02d}" for i in range(1, 7)]
    assert basic.elective_modules == []
    assert advanced.prerequisite is basic and advanced.min_electives == 3
    assert [m.code for m in advanced.elective_modules] == [f"IU{i:02d}" for i in range(7, 16)]
    assert advanced.rank > basic.rank


def test_staff_sort_key_is_backfilled(tmp_path):
    """Down to the revision before the sort key and up again: every stored person gets hers."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import select

    from trainer import create_app
    from trainer.extensions import db as _db
    from trainer.org.models import Staff
    from trainer.org.text import name_sort_key

    from . import factories
    from .conftest import base_config

    app = create_app(base_config(f"sqlite:///{tmp_path}/migrate.db"))
    with app.app_context():
        upgrade()
        tree = factories.make_tree()
        for name in ("Đào Văn Dương", "Vì Thị Ân", "Lò Thị Anh"):
            factories.make_staff(tree["DB-A-S1"], name)
        _db.session.commit()
        _db.session.remove()
        downgrade(revision="h14a00000001")
        upgrade()
        rows = _db.session.execute(select(Staff.full_name, Staff.sort_key)).all()
        assert len(rows) == 3
        assert all(key == name_sort_key(name) for name, key in rows)
        _db.engine.dispose()


def test_staff_period_copies_are_backfilled(tmp_path):
    """Down to the revision before the periods' copies of gender and ethnicity and up again:
    every period carries its person's values."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import select

    from trainer import create_app
    from trainer.extensions import db as _db
    from trainer.org.models import Staff
    from trainer.org.periods import StaffPeriod

    from . import factories
    from .conftest import base_config

    app = create_app(base_config(f"sqlite:///{tmp_path}/migrate.db"))
    with app.app_context():
        upgrade()
        tree = factories.make_tree()
        people = [
            factories.make_staff(
                tree["DB-A-S1"], "Lò Thị Hương", gender="female", ethnicity="Thái"
            ),
            factories.make_staff(tree["DB-A-S1"], "Đào Văn Dương", gender="male", ethnicity="Kinh"),
            factories.make_staff(tree["DB-A-S1"], "Vì Thị Ân"),
        ]
        _db.session.commit()
        people[0].org_unit_id = tree["DB-B-S1"].id  # a second period
        _db.session.commit()
        _db.session.remove()
        downgrade(revision="h20a00000001")
        upgrade()
        rows = _db.session.execute(
            select(StaffPeriod.gender, StaffPeriod.ethnicity, Staff.gender, Staff.ethnicity).join(
                Staff, Staff.id == StaffPeriod.staff_id
            )
        ).all()
        assert len(rows) == 4
        assert all(row[:2] == row[2:] for row in rows)
        assert {row[:2] for row in rows} == {("female", "Thái"), ("male", "Kinh"), (None, None)}
        _db.engine.dispose()


def test_staff_states_are_built_for_the_data_already_there(tmp_path):
    """Down to the revision before the staff states and up again: every person's states are
    built from their periods and certificates, and the triggers note later changes."""
    from datetime import UTC, date, datetime

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import insert, select

    from trainer import create_app
    from trainer.certificates.models import Certificate
    from trainer.coverage.states import StaffState, StaleStaffState
    from trainer.extensions import db as _db

    from . import factories
    from .conftest import base_config

    app = create_app(base_config(f"sqlite:///{tmp_path}/migrate.db"))
    with app.app_context():
        upgrade()
        tree = factories.make_tree()
        people = [
            factories.make_staff(tree["DB-A-S1"], name) for name in ("Vì Thị Ân", "Lò Văn Sơn")
        ]
        _db.session.commit()
        ids = [person.id for person in people]
        _db.session.remove()
        downgrade(revision="h15n00000001")
        with _db.engine.begin() as conn:  # a certificate written before the states existed
            conn.execute(
                insert(Certificate.__table__).values(
                    number="N1",
                    issuer_key="X",
                    issuer="X",
                    external=True,
                    staff_id=ids[0],
                    level_id=1,
                    issued_on=date(2026, 1, 5),
                    printed_name="",
                    printed_unit="",
                    status="valid",
                    created_at=datetime(2026, 1, 5, tzinfo=UTC),
                    signatory_name="",
                    signatory_title="",
                )
            )
        upgrade()
        rows = dict(_db.session.execute(select(StaffState.staff_id, StaffState.change_on)).all())
        assert rows == {ids[0]: date(2026, 1, 5), ids[1]: None}
        assert _db.session.scalars(select(StaleStaffState.staff_id)).all() == []
        with _db.engine.begin() as conn:  # a writer outside any session is noted
            conn.exec_driver_sql("UPDATE staff_periods SET position = 'staff'")
        assert sorted(_db.session.scalars(select(StaleStaffState.staff_id))) == sorted(ids)
        _db.engine.dispose()
