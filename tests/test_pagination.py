"""Paging: totals are right whether or not the count query runs."""

from sqlalchemy import event, select

from trainer.org.models import Staff
from trainer.pagination import paginate

from . import factories
from .databases import app_statement


def test_pages_and_totals(db, tree):
    for i in range(7):
        factories.make_staff(tree["DB-A-S1"], f"Người {i}")
    db.session.commit()
    stmt = select(Staff).order_by(Staff.id)
    first = paginate(stmt, 1, 3)
    assert (len(first.items), first.total, first.pages, first.has_next) == (3, 7, 3, True)
    last = paginate(stmt, 3, 3)
    assert (len(last.items), last.total, last.has_next, last.has_prev) == (1, 7, False, True)
    beyond = paginate(stmt, 9, 3)
    assert beyond.items == [] and beyond.total == 7


def test_no_count_query_when_one_page_holds_all(db, tree):
    factories.make_staff(tree["DB-A-S1"], "Một Người")
    db.session.commit()
    statements = []
    event.listen(
        db.engine,
        "before_cursor_execute",
        lambda conn, cursor, sql, *args: app_statement(sql) and statements.append(sql),
    )
    page = paginate(select(Staff), 1, 50)
    assert page.total == 1 and page.pages == 1
    assert not any("count(" in sql.lower() for sql in statements)


def test_rows_counted_by_the_page_query_itself(db, tree):
    from trainer.pagination import paginate_rows

    for i in range(7):
        factories.make_staff(tree["DB-A-S1"], f"Người {i}")
    db.session.commit()
    stmt = select(Staff.staff_code).order_by(Staff.id)
    statements = []
    event.listen(
        db.engine,
        "before_cursor_execute",
        lambda conn, cursor, sql, *args: app_statement(sql) and statements.append(sql),
    )
    first = paginate_rows(stmt, 2, 3)
    assert (len(first.items), first.total, first.pages) == (3, 7, 3)
    assert len(statements) == 1  # the total came with the rows
    beyond = paginate_rows(stmt, 9, 3)
    assert beyond.items == [] and beyond.total == 7
    empty = paginate_rows(stmt.where(Staff.staff_code == "none"), 1, 3)
    assert empty.items == [] and empty.total == 0
