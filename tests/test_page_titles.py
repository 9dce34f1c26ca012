"""Browser tabs end with the product's Vietnamese name, in both languages (issue 20, item 6)."""

import re

import pytest


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_titles_end_with_the_product_name(client, db, lang):
    for path in ("/login", "/verify/scan", "/verify/unknown-code-1234"):
        text = client.get(f"{path}?lang={lang}").get_data(as_text=True)
        title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
        assert title.endswith(" · Bồi dưỡng CNTT"), title
        assert "trainer" not in title


def test_the_product_name_is_a_setting(app, client, db):
    app.config["PRODUCT_NAME"] = "Bồi dưỡng số"
    text = client.get("/login").get_data(as_text=True)
    assert "· Bồi dưỡng số</title>" in text
