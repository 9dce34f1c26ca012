"""The signed statement in the QR code: round trip, forged and revoked told apart, QR size."""

import base64
import io
import json

import pytest
from click.testing import CliRunner
from PIL import Image

from trainer.certificates import services
from trainer.certificates.pdf import qr_png
from trainer.certificates.signing import (
    BadStatement,
    b64url,
    generate_key_pair,
    key_id,
    load_private_key,
    load_public_key,
    read_jws,
    sign_jws,
    unb64url,
)
from trainer.certificates.statements import (
    check_statement,
    make_keyring,
    published_keys,
    qr_payload,
    sign_statement,
    statement_claims,
)
from trainer.cli import keys_cli

from .conftest import BASIC


@pytest.fixture
def issued(db, person, levels, pass_modules):
    pass_modules(person, *BASIC)
    cert = services.issue_certificate(person, levels["basic"])
    db.session.commit()
    return cert


def tampered(token, **changes):
    """``token`` with claims changed but the original signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(unb64url(payload)) | changes
    body = b64url(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode())
    return f"{header}.{body}.{signature}"


def test_round_trip_with_pem_and_raw_keys():
    private_pem, public_pem, public_raw = generate_key_pair()
    key = load_private_key(private_pem)
    seed = key.private_bytes_raw()
    same = load_private_key(base64.b64encode(seed).decode())
    claims = {"n": "DB-2026-000001", "h": "Quàng Văn Đức"}
    token = sign_jws(claims, key)
    assert token == sign_jws(claims, same)  # Ed25519 is deterministic: a PDF re-renders alike
    keys = {key_id(load_public_key(public_pem)): load_public_key(public_raw)}
    header, read = read_jws(token, keys)
    assert read == claims and header == {"alg": "EdDSA", "kid": key_id(key.public_key())}


def test_forged_unknown_key_and_malformed_are_refused():
    key = load_private_key(generate_key_pair()[0])
    other = load_private_key(generate_key_pair()[0])
    keys = {key_id(key.public_key()): key.public_key()}
    token = sign_jws({"n": "DB-2026-000001", "h": "Lò Thị Hương"}, key)
    for forged in (
        tampered(token, h="Lò Thị Hường"),
        sign_jws({"n": "DB-2026-000001"}, other),  # another key, unknown kid
        sign_jws({"n": "DB-2026-000001"}, other, header={"kid": key_id(key.public_key())}),
    ):  # our kid, their key
        with pytest.raises(BadStatement) as caught:
            read_jws(forged, keys)
        assert caught.value.reason == "forged"
    for junk in ("", "abc", "a.b.c", "e30.e30.!!!", token + ".x", None, "ẞ.ẞ.ẞ"):
        with pytest.raises(BadStatement) as caught:
            read_jws(junk, keys)
        assert caught.value.reason == "malformed"


def test_server_check_tells_valid_forged_and_revoked_apart(app, db, issued):
    statement = sign_statement(issued)
    assert statement_claims(issued) == {
        "n": issued.number,
        "h": "Nguyễn Tiến Thắng",
        "l": "basic",
        "d": issued.issued_on.isoformat(),
        "i": issued.issuer,
    }
    assert check_statement(statement).result == "valid"
    assert check_statement(qr_payload(issued)).result == "valid"  # the whole scanned URL
    assert check_statement(tampered(statement, h="Nguyễn Văn Giả")).result == "forged"
    assert check_statement("not a statement").result == "malformed"
    services.revoke(issued, "cấp nhầm")
    db.session.commit()
    check = check_statement(statement)
    assert check.result == "revoked"
    assert check.as_json()["revoked_on"] == issued.revoked_on.isoformat()
    assert check.as_json()["statement"]["name"] == "Nguyễn Tiến Thắng"


def test_superseded_statement_is_not_valid(app, db, issued):
    statement = sign_statement(issued)
    services.reissue(issued)
    db.session.commit()
    assert check_statement(statement).result == "superseded"


def test_retired_keys_are_published_and_still_verify(app, db, issued):
    old_private, _old_pem, old_raw = generate_key_pair()
    old = make_keyring({"SIGNING_KEY": old_private})
    with app.app_context():
        app.extensions["trainer.signing"], current = old, app.extensions["trainer.signing"]
        statement = sign_statement(issued)
        app.extensions["trainer.signing"] = make_keyring(
            {"SIGNING_KEY": app.config["SIGNING_KEY"], "SIGNING_KEYS_RETIRED": old_raw}
        )
        try:
            kids = [k["kid"] for k in published_keys()["keys"]]
            assert kids == [current.kid, old.kid]
            assert check_statement(statement).result == "valid"
        finally:
            app.extensions["trainer.signing"] = current
        assert check_statement(statement).result == "forged"  # the old key withdrawn


def test_qr_stays_small_for_long_names(app, db, issued):
    issued.printed_name = "Nguyễn Thị Phương Thảo Hoàng Ngọc Diệp"
    issued.issuer = "Sở Giáo dục và Đào tạo tỉnh Điện Biên — Trung tâm Giáo dục thường xuyên"
    image = Image.open(io.BytesIO(qr_png(qr_payload(issued))))
    modules = image.width // 4  # qr_png draws 4 pixels a module, no quiet zone
    assert modules <= 85, modules  # version ≤ 17: ≥ 0.35 mm a module on a 30 mm code


def test_keys_generate_prints_a_usable_pair(tmp_path):
    result = CliRunner().invoke(keys_cli, ["generate"])
    assert result.exit_code == 0, result.output
    private = result.output.split("-----END PRIVATE KEY-----")[0].split("\n", 1)[1]
    key = load_private_key(private + "-----END PRIVATE KEY-----")
    assert key_id(key.public_key()) in result.output
    assert base64.b64encode(key.public_key().public_bytes_raw()).decode() in result.output
    target = tmp_path / "signing.pem"
    written = CliRunner().invoke(keys_cli, ["generate", "--write", str(target)])
    assert written.exit_code == 0 and "PRIVATE" not in written.output
    load_private_key(target.read_text())
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    again = CliRunner().invoke(keys_cli, ["generate", "--write", str(target)])
    assert again.exit_code == 1 and "never overwritten" in again.output


def test_scan_page_checks_on_the_server_without_javascript(app, client, db, issued):
    statement = sign_statement(issued)
    assert "Kiểm tra mã QR của chứng chỉ" in client.get("/verify/scan").get_data(as_text=True)
    page = client.get("/verify/scan", query_string={"s": qr_payload(issued)})
    assert "Chữ ký là thật và chứng chỉ còn hiệu lực." in page.get_data(as_text=True)
    forged = client.get("/verify/scan", query_string={"s": tampered(statement, l="advanced")})
    assert "Giả mạo: chữ ký không khớp." in forged.get_data(as_text=True)
    services.revoke(issued, "cấp nhầm")
    db.session.commit()
    revoked = client.get("/verify/scan", query_string={"s": statement})
    assert "chứng chỉ đã bị thu hồi." in revoked.get_data(as_text=True)
    assert client.get("/verify/scan", query_string={"s": "x" * 10000}).status_code == 200
