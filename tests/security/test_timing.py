"""Finding 14.8: an unknown account costs the same password-hash work as a known one, so the
answer time does not reveal which accounts exist (counted, not timed: timing is noisy)."""

import pytest
import werkzeug.security

from trainer.accounts.services import authenticate

from .. import factories


@pytest.fixture
def hashes(monkeypatch):
    """The methods of every password hash computed, in order."""
    calls = []
    real = werkzeug.security._hash_internal

    def counting(method, salt, password):
        calls.append(method)
        return real(method, salt, password)

    monkeypatch.setattr(werkzeug.security, "_hash_internal", counting)
    return calls


def test_unknown_accounts_cost_a_password_check(app, db, tree, hashes):
    factories.make_user("admin", tree["DB"], email="known@example.vn")
    factories.make_user(
        "teacher", tree["DB-A-S1"], staff=factories.make_staff(tree["DB-A-S1"], staff_code="T777")
    )
    db.session.commit()
    authenticate("nobody@example.vn", "warm-up")  # the dummy hash may be made once
    hashes.clear()
    assert authenticate("known@example.vn", "wrong-password") is None
    known = list(hashes)
    assert len(known) == 1
    for unknown in ("nobody@example.vn", "X99999", ""):
        hashes.clear()
        assert authenticate(unknown, "wrong-password") is None
        assert hashes == known, unknown  # same number of checks, with the same method


def test_sign_in_page_spends_the_same_work(app, client, db, tree, hashes):
    factories.make_user("admin", tree["DB"], email="known@example.vn")
    db.session.commit()
    client.post("/login", data={"identifier": "warm@example.vn", "password": "x"})
    hashes.clear()
    client.post("/login", data={"identifier": "known@example.vn", "password": "wrong-pass"})
    known = len(hashes)
    hashes.clear()
    client.post("/login", data={"identifier": "ghost@example.vn", "password": "wrong-pass"})
    assert known == len(hashes) == 1
