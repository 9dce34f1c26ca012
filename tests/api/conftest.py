"""An ``api(role, unit, staff)`` fixture: a user with a token and a caller that sends it."""

import pytest

from trainer.accounts.services import issue_token

from .. import factories


@pytest.fixture
def api(client, db, tree):
    def as_user(role, unit="DB-A", staff=None):
        user = factories.make_user(role, tree[unit], staff=staff)
        token = issue_token(user)
        db.session.commit()
        headers = {"Authorization": f"Bearer {token}"}

        def call(method, path, json=None):
            return client.open(path, method=method, json=json, headers=headers)

        return call

    return as_user
