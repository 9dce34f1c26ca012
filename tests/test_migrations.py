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
