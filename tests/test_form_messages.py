"""Forms' built-in validator messages speak the page's language (issue 20, item 1)."""

import pytest


@pytest.mark.parametrize(
    ("lang", "required", "english_only"),
    [
        ("vi", "Ô này không được để trống.", "This field is required."),
        ("en", "This field is required.", "Ô này không được để trống."),
    ],
)
def test_an_empty_sign_in_says_so_in_the_page_language(client, lang, required, english_only):
    client.get(f"/login?lang={lang}")
    page = client.post("/login", data={"identifier": "", "password": ""})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert text.count(required) == 2  # both fields
    assert english_only not in text


@pytest.mark.parametrize(
    ("lang", "required", "exactly"),
    [
        ("vi", "Ô này không được để trống.", "Nhập 6 chữ số giáo viên đang hiển thị."),
        ("en", "This field is required.", "Enter the 6 digits shown by the trainer."),
    ],
)
def test_check_in_form_messages_in_the_page_language(login_as, client, lang, required, exactly):
    login_as("teacher")
    client.get(f"/checkin?lang={lang}")
    empty = client.post("/checkin", data={"code": ""}).get_data(as_text=True)
    assert required in empty
    short = client.post("/checkin", data={"code": "4277"}).get_data(as_text=True)
    assert exactly in short
    if lang == "vi":
        assert "Field must be" not in short and "This field" not in empty


def test_a_number_field_says_so_in_vietnamese(login_as, client):
    """A field's own parsing message (IntegerField), not a validator's, is translated too."""
    from trainer.training.forms import SessionForm

    login_as("trainer")
    with client.application.test_request_context(
        "/sessions/new", method="POST", data={"weeks": "ba"}
    ):
        form = SessionForm()
        form.module.choices = form.trainer.choices = [(1, "IU01")]
        form.validate()
        assert "Không phải là một số nguyên hợp lệ." in form.weeks.errors
        assert "Số phải trong khoảng từ 1 đến 52." in form.weeks.errors
        assert "Ô này không được để trống." in form.title.errors
