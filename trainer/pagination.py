"""Paging of select statements that skips the count query when one page holds everything."""

import math
from dataclasses import dataclass

from sqlalchemy import func, select

from .bounds import check_page
from .extensions import db


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def prev_num(self):
        return self.page - 1

    @property
    def next_num(self):
        return self.page + 1

    def window(self, around=2):
        """The page numbers to show as links: the first, the last and ``around`` on each side
        of this one, with ``None`` where numbers are left out (``1 … 6 7 8 9 10 … 314``)."""
        shown = {1, self.pages} | set(
            range(max(1, self.page - around), min(self.pages, self.page + around) + 1)
        )
        numbers, last = [], 0
        for number in sorted(shown):
            if number > last + 1:
                numbers.append(None)
            numbers.append(number)
            last = number
        return numbers


def paginate(stmt, page, per_page):
    """One page of the ORM select ``stmt``; counts only when the results go past this page."""
    page = check_page(max(1, page))
    items = db.session.scalars(_slice(stmt, page, per_page)).unique().all()
    if len(items) < per_page and (items or page == 1):
        total = (page - 1) * per_page + len(items)
    else:
        total = _count(stmt)
    return Page(items=items, page=page, per_page=per_page, total=total)


def paginate_rows(stmt, page, per_page):
    """Like ``paginate`` for a select of columns: plain rows, no ORM objects, and the total
    counted by the same query (``count(*) OVER ()`` sees every match before the LIMIT), so
    one round trip instead of two. Rows keep a ``total`` column."""
    page = check_page(max(1, page))
    counted = stmt.add_columns(func.count().over().label("total"))
    items = db.session.execute(_slice(counted, page, per_page)).all()
    if items:
        total = items[0].total
    elif page == 1:
        total = 0
    else:  # past the end: count on its own
        total = _count(stmt)
    return Page(items=items, page=page, per_page=per_page, total=total)


def _slice(stmt, page, per_page):
    return stmt.limit(per_page).offset((page - 1) * per_page)


def count_rows(stmt):
    """How many rows ``stmt`` selects (one COUNT query)."""
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


_count = count_rows
