"""An admin changes the certificate design in the browser: the preview follows the form, the
next certificate shows the new design, an earlier one keeps its own."""

import re
import subprocess
from datetime import date

from playwright.sync_api import expect
from sqlalchemy import func, select

from trainer.certificates import services
from trainer.certificates.models import Certificate
from trainer.curriculum import services as curriculum
from trainer.curriculum.models import CertificateLevel, Module
from trainer.extensions import db
from trainer.org.models import OrgUnit, Staff

from .conftest import TABLET, shot, sign_in


def eligible_people(count):
    """Two active staff of one school without a basic certificate, given passing results."""
    basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
    holders = select(Certificate.staff_id)
    school = db.session.scalar(
        select(OrgUnit)
        .join(Staff, Staff.org_unit_id == OrgUnit.id)
        .where(Staff.status == "active", Staff.id.not_in(holders))
        .group_by(OrgUnit.id)
        .having(func.count(Staff.id) >= count)
        .order_by(OrgUnit.code)
    )
    people = db.session.scalars(
        select(Staff)
        .where(Staff.org_unit_id == school.id, Staff.status == "active", Staff.id.not_in(holders))
        .order_by(Staff.staff_code)
        .limit(count)
    ).all()
    for person in people:
        for module in db.session.scalars(select(Module).where(Module.code.like("IU0%"))):
            curriculum.record_result(person, module, 90, date(2026, 1, 5))
    db.session.commit()
    return school, basic, people


def pdf_text(page, number, tmp_path):
    response = page.request.get(f"/certificates/{number}.pdf")
    assert response.ok, response.status
    path = tmp_path / f"{number}.pdf"
    assert response.headers["content-type"] == "application/pdf", response.text()[:300]
    path.write_bytes(response.body())
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_admin_changes_the_design_next_certificate_shows_it(live_app, open_page, tmp_path):
    with live_app.app_context():
        school, basic, (first_person, second_person) = eligible_people(2)
        earlier = services.issue_certificate(first_person, basic)
        db.session.commit()
        earlier_number, school_code = earlier.number, school.code
        second_id = second_person.id
    page = open_page(TABLET)
    sign_in(page, "admin@demo.trainer.vn")
    before = pdf_text(page, earlier_number, tmp_path)
    assert "GIẤY CHỨNG NHẬN" in before

    page.goto("/admin/designs/new")
    preview = page.locator("#design-preview")
    expect(preview).to_have_attribute("src", re.compile("preview.png"))
    page.fill("#name", "Mẫu của trường")
    page.fill("#org", school_code)
    page.select_option("#level", "basic")
    page.fill("#title", "GIẤY KHEN KỸ NĂNG SỐ")
    page.fill("#body", "Tặng thầy cô {name}\n{unit}\nHoàn thành {level}")
    # the preview follows the form without leaving the page
    page.wait_for_function(
        "() => { const i = document.getElementById('design-preview');"
        " return i.complete && i.naturalWidth > 0"
        " && decodeURIComponent(i.src.replace(/\\+/g, ' '))"
        ".includes('GIẤY KHEN KỸ NĂNG SỐ'); }",
        timeout=30000,
    )
    assert page.url.endswith("/admin/designs/new")
    shot(page, "design-editor")
    page.click("#design-form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("1")  # saved as version 1

    with live_app.app_context():
        basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
        later = services.issue_certificate(db.session.get(Staff, second_id), basic)
        db.session.commit()
        later_number = later.number
    after = pdf_text(page, later_number, tmp_path)
    assert "GIẤY KHEN KỸ NĂNG SỐ" in after and "Tặng thầy cô" in after
    assert "GIẤY CHỨNG NHẬN" not in after
    again = pdf_text(page, earlier_number, tmp_path)  # stored, and re-rendered alike
    assert again == before and "GIẤY KHEN" not in again
    with live_app.app_context():
        from trainer.certificates.request_helpers import store

        with live_app.test_request_context():
            store().delete(earlier_number)
    assert pdf_text(page, earlier_number, tmp_path) == before
