"""The signed QR statement checked in Chromium with the network off: valid, forged, revoked."""

import json
from datetime import date

from playwright.sync_api import expect
from sqlalchemy import select

from trainer.certificates.models import Certificate
from trainer.certificates.services import IssueSettings, new_certificate, reserve_numbers, revoke
from trainer.certificates.signing import b64url, unb64url
from trainer.certificates.statements import qr_payload
from trainer.curriculum.models import CertificateLevel
from trainer.extensions import db
from trainer.org.models import Staff

from .conftest import PHONE, shot


def issue_two(live_app):
    """Two certificates of the last staff members who hold none of the level yet (the demo
    issues some, and each test issues its own); the second one revoked. Their scanned
    addresses, as the QR codes hold them."""
    with live_app.app_context():
        level = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
        holders = select(Certificate.staff_id).where(Certificate.level_id == level.id)
        staff = db.session.scalars(
            select(Staff)
            .where(Staff.status == "active", Staff.id.not_in(holders))
            .order_by(Staff.id.desc())
            .limit(2)
        ).all()
        settings = IssueSettings()
        numbers = reserve_numbers(settings.prefix, date.today().year, 2)
        certs = [
            new_certificate(
                person, level, number, issued_by=None, issued_on=date.today(), settings=settings
            )
            for person, number in zip(staff, numbers, strict=True)
        ]
        db.session.add_all(certs)
        db.session.flush()
        revoke(certs[1], "Cấp nhầm người")
        db.session.commit()
        return [qr_payload(cert) for cert in certs], certs[0].printed_name


def forge(url, **changes):
    """The scanned address with the statement's claims changed and the signature kept."""
    address, statement = url.split("#")
    header, payload, signature = statement.split(".")
    claims = json.loads(unb64url(payload)) | changes
    body = b64url(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode())
    return f"{address}#{header}.{body}.{signature}"


def check(page, text):
    page.fill("#statement", text)
    page.get_by_role("button", name="Kiểm tra", exact=True).click()
    result = page.locator("[data-verify-result]")
    expect(result).to_be_visible()
    return result


def test_offline_check_tells_valid_forged_and_revoked_apart(live_app, open_page):
    (valid, revoked), name = issue_two(live_app)
    base = live_app.config["LIVE_URL"]
    page = open_page(PHONE)
    page.goto(valid.removeprefix(base))  # online once: the page keeps the key and the list
    expect(page.locator("[data-offline-verify]")).to_have_attribute("data-ready", "true")
    expect(page.locator("[data-verify-result]")).to_have_attribute("data-result", "valid")
    page.context.set_offline(True)
    assert page.evaluate("navigator.onLine") is False

    result = check(page, forge(valid, h="Nguyễn Văn Giả"))
    expect(result).to_have_attribute("data-result", "forged")
    expect(result).to_contain_text("Giả mạo")

    result = check(page, revoked)
    expect(result).to_have_attribute("data-result", "revoked")
    expect(result).to_contain_text("thu hồi")

    result = check(page, valid)
    expect(result).to_have_attribute("data-result", "valid")
    expect(result).to_contain_text(name)
    shot(page, "offline-verify")

    result = check(page, "https://example.vn/verify/abc#khong-phai")
    expect(result).to_have_attribute("data-result", "malformed")


def test_offline_check_without_webcrypto_uses_the_vendored_tweetnacl(live_app, open_page):
    (valid, revoked), _name = issue_two(live_app)
    page = open_page(PHONE)
    # a browser without WebCrypto's Ed25519 (older tablets, plain-HTTP pages)
    page.add_init_script("crypto.subtle.importKey = () => Promise.reject(new Error('no'));")
    page.goto("/verify/scan")
    expect(page.locator("[data-offline-verify]")).to_have_attribute("data-ready", "true")
    page.context.set_offline(True)
    result = check(page, valid)
    expect(result).to_have_attribute("data-result", "valid")
    expect(result).to_have_attribute("data-engine", "tweetnacl")
    expect(check(page, forge(valid, n="DB-2026-000001"))).to_have_attribute("data-result", "forged")
    expect(check(page, revoked)).to_have_attribute("data-result", "revoked")
