"""Finding 14.12: an admin's reset shows the new one-time password once, in the page that
answers the POST, never in a cookie (the session cookie is signed, not encrypted) nor in a
redirect's address."""

import re
import zlib

from itsdangerous import base64_decode

from trainer.accounts.models import User

from .. import factories


def cookie_payload(value):
    """The readable content of a Flask session cookie: anyone holding it can decode it."""
    compressed = value.startswith(".")
    data = base64_decode(value.lstrip(".").split(".")[0])
    return (zlib.decompress(data) if compressed else data).decode()


def test_the_reset_password_is_shown_in_the_page_and_nowhere_else(client, login_as, db, tree):
    target = factories.make_user("teacher", tree["DB-A-S1"])
    db.session.commit()
    login_as("admin")
    response = client.post(f"/admin/users/{target.id}/reset?q=abc")
    assert response.status_code == 200 and "Location" not in response.headers
    page = response.get_data(as_text=True)
    password = re.search(r'<code class="one-time-password">([a-z0-9]{10})</code>', page).group(1)
    assert target.display_name in page and 'href="/admin/users?q=abc"' in page
    db.session.expire_all()
    assert db.session.get(User, target.id).check_password(password)
    assert response.headers["Cache-Control"] == "no-store"
    for header in response.headers.getlist("Set-Cookie"):
        assert password not in header
        assert password not in cookie_payload(header.split("=", 1)[1].split(";")[0])
    cookie = cookie_payload(client.get_cookie("session").value)
    assert "_user_id" in cookie and password not in cookie  # readable, and without it
    # not waiting in the session to be shown by the next page either
    assert password not in client.get("/admin/users").get_data(as_text=True)
