"""Every request on its own, as in production.

The ``db`` fixture keeps an application context open for the whole test, and Flask reuses
it for every request, so Flask-Login's user cached in ``g`` by one request would be seen by
the next. Tests that replay cookies or switch browsers use ``own_context`` to forget it."""

import pytest
from flask import g


@pytest.fixture
def own_context(app):
    """Each request loads its user from its own cookie."""

    def forget_user():
        g.pop("_login_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, forget_user)
    return app
