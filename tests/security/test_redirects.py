"""Finding 14.1: ``next`` after sign-in leads only to a path on this site, read as a browser
reads the Location header (tabs and newlines dropped, backslashes as slashes, decoded)."""

from urllib.parse import unquote, urljoin, urlsplit

import pytest

from .. import factories
from .own_context import own_context  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("own_context")
HOST = "localhost"

# Raw query-string values of ``next``, as an attacker would put them in a link.
HOSTILE = [
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d/evil.example",
    "/%0d%0a/evil.example",
    "%09//evil.example",
    "//evil.example",
    "///evil.example",
    "/%5Cevil.example",
    "%5C%5Cevil.example",
    "/%5C/evil.example",
    "%2F%2Fevil.example",
    "/%252F/evil.example",
    "/%2509/evil.example",
    "/%255Cevil.example",
    "https://evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "%20javascript:alert(1)",
    "java%09script:alert(1)",
    "/%0d%0aSet-Cookie:%20x=1",
]


def browser_targets(location):
    """Where a browser could go from ``location``: as written and decoded, normalised."""
    seen, text = [], location
    for _ in range(4):
        normal = "".join(ch for ch in text if ch not in "\t\n\r").replace("\\", "/").strip()
        seen.append(urljoin(f"http://{HOST}/login", normal))
        text = unquote(text)
    return seen


@pytest.fixture
def teacher(app, db, tree):
    app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"  # many sign-ins in one test
    user = factories.make_user("admin", tree["DB"], email="next@example.vn")
    db.session.commit()
    return user


def sign_in(app, next_raw):
    client = app.test_client()  # a new browser each time
    return client.post(
        f"/login?next={next_raw}",
        data={"identifier": "next@example.vn", "password": factories.PASSWORD},
    )


def test_next_never_leaves_the_site(app, teacher):
    for next_raw in HOSTILE:
        response = sign_in(app, next_raw)
        assert response.status_code == 302, next_raw
        location = response.headers["Location"]
        for target in browser_targets(location):
            parts = urlsplit(target)
            assert parts.scheme == "http" and parts.netloc == HOST, (next_raw, location, target)


def test_a_local_next_is_followed(app, teacher):
    response = sign_in(app, "/staff%3Fq%3DTh%25E1%25BA%25AFng")
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff?q=Th%E1%BA%AFng"


def test_odd_next_is_never_a_server_error(app, teacher):
    for next_raw in ("/%0d%0aSet-Cookie:%20x=1", "/%0a", "/%00", "%ff%fe", "/" * 5000):
        assert app.test_client().get(f"/login?next={next_raw}").status_code == 200, next_raw
        response = sign_in(app, next_raw)
        assert response.status_code == 302 and "\n" not in response.headers["Location"], next_raw
