"""API errors are stable codes with a human message beside them (issue 13, item 7): no
refusal of the API may carry a sentence, or a code the OpenAPI document does not list."""

import re
from pathlib import Path

from trainer.api.openapi import ERROR_CODES

API = Path(__file__).resolve().parents[2] / "trainer" / "api"
LITERAL_CODE = re.compile(
    r"\b(?:InvalidInput|DomainError|NotFound|Conflict|BadParameter)\(\s*[\"']"
)


def test_api_modules_raise_only_declared_codes():
    literal = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(API.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if LITERAL_CODE.search(line)
    ]
    assert literal == []


def test_a_statement_too_long_is_a_code_and_a_message(client, db):
    answer = client.post("/api/v1/verify/statement", json={"statement": "x" * 4001})
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["error"] == "too_long" and body["error"] in ERROR_CODES
    assert "4000" in body["message"] and body["field"] == "statement"
