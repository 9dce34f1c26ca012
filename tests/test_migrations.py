"""The schema comes from migrations, and the migrations match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect


def test_migrations_build_every_table(db):
    tables = set(inspect(db.engine).get_table_names())
    assert {"org_units", "staff", "users", "api_tokens", "audit_entries"} <= tables
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
