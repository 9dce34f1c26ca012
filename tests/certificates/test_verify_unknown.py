"""An unknown verification code answers 404 with a page that says so (issue 20, item 6)."""

import pytest


@pytest.mark.parametrize(
    ("lang", "says", "not_says"),
    [
        ("vi", "Không có chứng chỉ nào mang mã này.", "Trang này không tồn tại."),
        ("en", "There is no certificate with this code.", "This page does not exist."),
    ],
)
@pytest.mark.parametrize("code", ["unknown-code-1234", "short", "x" * 40])
def test_unknown_code_says_no_certificate(client, db, lang, says, not_says, code):
    page = client.get(f"/verify/{code}?lang={lang}")
    text = page.get_data(as_text=True)
    assert page.status_code == 404
    assert says in text and not_says not in text
    assert 'href="/verify/scan"' in text  # where to go next


def test_the_api_still_answers_json_404(client, db):
    answer = client.get("/api/v1/verify/unknown-code-1234")
    assert answer.status_code == 404 and answer.get_json()["error"]
