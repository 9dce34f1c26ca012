"""A trainer's tablet without a connection (Debian's Chromium, 1280×800): download, go offline,
reload, mark, close the browser, reopen, go online, every mark on the server exactly once;
a sync whose requests are dropped half-way; a conflict between two tablets; QR check-in."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import segno
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import func, select

from trainer.accounts.models import User
from trainer.audit import AuditEntry
from trainer.curriculum.models import Module, Result
from trainer.extensions import db
from trainer.org.models import Staff
from trainer.training import services
from trainer.training.checkin_keys import CheckinKey
from trainer.training.models import Enrollment
from trainer.training.sync_models import DeviceSubmission

from .conftest import CHROMIUM, TABLET, shot, sign_in

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TRAINER = "trainer@demo.trainer.vn"


def make_running_session(live_app, people=12, *, title="Buổi học không có mạng", late=60):
    """A session of the demo trainer that started 5 minutes ago, with ``people`` enrolled."""
    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.email == TRAINER))
        trainer = user.staff
        module = db.session.scalar(select(Module).where(Module.code == "IU03"))
        start = datetime.now(UTC) - timedelta(minutes=5)
        end = start + timedelta(hours=2)
        # the session runs now; when the demo trainer is busy then, a colleague of the same
        # school leads it (the signed-in trainer manages every session of the unit)
        leaders = [trainer] + db.session.scalars(
            select(Staff)
            .where(Staff.org_unit_id == trainer.org_unit_id, Staff.status == "active")
            .order_by(Staff.id.desc())
            .limit(40)  # one leader per running session of the live server's tests
        ).all()
        leader = next(s for s in leaders if services.find_clash(s.id, start, end) is None)
        session = services.create_session(
            module=module,
            title=title,
            trainer=leader,
            venue=trainer.org_unit,
            location="Phòng tin học",
            starts_at=start,
            ends_at=end,
            capacity=40,
            late_after_minutes=late,
        )
        staff = db.session.scalars(
            select(Staff)
            .where(
                Staff.org_unit_id == trainer.org_unit_id,
                Staff.id.not_in([trainer.id, leader.id]),
                Staff.status == "active",
            )
            .order_by(Staff.id)
            .limit(people)
        ).all()
        services.enroll(session, staff)
        db.session.commit()
        return session.id, [s.staff_code for s in staff]


def server_marks(live_app, session_id):
    with live_app.app_context():
        return dict(
            db.session.execute(
                select(Staff.staff_code, Enrollment.status)
                .join(Enrollment)
                .where(Enrollment.session_id == session_id)
            ).all()
        )


def submissions(live_app, session_id):
    with live_app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(DeviceSubmission)
            .where(DeviceSubmission.session_id == session_id)
        )


def persistent(browser, live_app, folder, **extra):
    return browser.browser_type.launch_persistent_context(
        str(folder),
        executable_path=CHROMIUM,
        headless=True,
        args=ARGS + extra.pop("args", []),
        viewport=TABLET,
        base_url=live_app.config["LIVE_URL"],
        **extra,
    )


def requests_seen(live_app):
    """Paths the server answers from now on (to prove the tablet really worked offline)."""
    seen, inner = [], live_app.wsgi_app

    def recording(environ, start_response):
        seen.append(environ.get("PATH_INFO", ""))
        return inner(environ, start_response)

    live_app.wsgi_app = recording
    return seen, lambda: setattr(live_app, "wsgi_app", inner)


def download_for_offline(page):
    page.goto("/home")
    page.get_by_role("button", name="Dùng khi mất mạng").click()
    expect(page.locator("#offline-download-status")).to_contain_text("Đã tải", timeout=30000)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")


def pending(page):
    return page.locator("#offline-status")


def sent(page):
    """Wait for the sync the page runs by itself (on load, ``online``) to have finished, then
    nothing may be pending (the counter is hidden in the page's HTML until the script runs)."""
    page.wait_for_function("window.trainerOffline && window.trainerOffline.enabled")
    page.evaluate("window.trainerOffline.syncNow()")
    expect(pending(page)).to_be_hidden(timeout=30000)


def test_offline_marks_and_results_reach_the_server_once(browser, live_app, tmp_path):
    session_id, codes = make_running_session(live_app)
    results_of_75 = (
        select(func.count())
        .select_from(Result)
        .where(
            Result.staff_id.in_(select(Staff.id).where(Staff.staff_code.in_(codes[:3]))),
            Result.score == 75,
        )
    )
    with live_app.app_context():  # the demo's own history may hold such results already
        results_before = db.session.scalar(results_of_75)
    url = f"/sessions/{session_id}"
    context = persistent(browser, live_app, tmp_path / "tablet")
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, TRAINER)
    download_for_offline(page)
    page.goto(url)  # once online: the service worker now controls the pages
    # the sync the page runs on load (nothing pending) finishes before the recording starts:
    # on a loaded machine it reached the server after it had begun (a CI run of 42 minutes)
    page.wait_for_load_state("networkidle")

    seen, stop_recording = requests_seen(live_app)
    try:
        context.set_offline(True)
        page.reload()
        expect(page.locator("h1")).to_contain_text("Buổi học không có mạng")
        rows = page.locator(".person[data-staff-code]")
        in_order = rows.evaluate_all("rows => rows.map(r => r.dataset.staffCode)")
        for i in range(10):
            rows.nth(i).locator(
                "button[name=status][value=%s]" % ("late" if i % 4 == 3 else "present")
            ).click()
        expect(pending(page)).to_have_text("10 chưa gửi")
        expect(page.locator("#session-pending")).to_have_text("10 chưa gửi")
        expect(rows.nth(0).locator(".row-note")).to_have_text("đang chờ gửi")
        expect(rows.nth(3).locator("button[value=late]")).to_have_attribute("aria-pressed", "true")

        page.goto(url + "/results")  # the results page works offline too
        for code in codes[:3]:
            page.fill(f"#score-{code}", "75")
        page.get_by_role("button", name="Lưu kết quả").click()
        page.wait_for_url("**" + url)
        expect(pending(page)).to_have_text("13 chưa gửi")
        shot(page, "offline-1-session-page-offline")
        context.close()
        assert server_marks(live_app, session_id) == {c: None for c in codes}
        assert not [p for p in seen if p.startswith(url) or p == "/sessions/sync"], seen

        # the browser was closed: reopen it, still without a network
        context = persistent(browser, live_app, tmp_path / "tablet")
        context.set_offline(True)
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(url)
        expect(pending(page)).to_have_text("13 chưa gửi")
        expect(page.locator(".person").nth(1).locator("button[value=present]")).to_have_attribute(
            "aria-pressed", "true"
        )
        shot(page, "offline-2-reopened-offline")
        assert not [p for p in seen if p.startswith(url) or p == "/sessions/sync"], seen
    finally:
        stop_recording()

    # the network returns; closing the browser ended the sign-in, so the marks wait for it
    context.set_offline(False)
    expect(pending(page)).to_have_text("13 chưa gửi: hãy đăng nhập để gửi", timeout=30000)
    sign_in(page, TRAINER)  # then everything goes, by itself
    page.goto(url)
    sent(page)
    expect(page.locator("#session-pending")).to_be_hidden()
    shot(page, "offline-3-synced")
    marks = server_marks(live_app, session_id)
    assert [marks[c] for c in in_order[:10]] == ["present", "present", "present", "late"] * 2 + [
        "present",
        "present",
    ]
    assert marks[in_order[10]] is None and marks[in_order[11]] is None
    page.reload()
    page.evaluate("window.trainerOffline.syncNow()")
    assert submissions(live_app, session_id) == 13
    with live_app.app_context():
        assert db.session.scalar(results_of_75) == results_before + 3
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(
                    AuditEntry.action == "attendance.mark",
                    AuditEntry.details["session"].as_integer() == session_id,
                )
            )
            == 10
        )
    context.close()


def test_a_sync_dropped_half_way_completes_without_duplicates(browser, live_app, open_page):
    session_id, codes = make_running_session(live_app, people=20, title="Mạng chập chờn")
    page = open_page(TABLET)
    sign_in(page, TRAINER)
    page.goto(f"/sessions/{session_id}")
    page.context.set_offline(True)
    rows = page.locator(".person[data-staff-code]")
    for i in range(20):
        rows.nth(i).locator("button[value=present]").click()
    expect(pending(page)).to_have_text("20 chưa gửi")
    posts = []

    def flaky(route):
        if route.request.method == "POST":
            posts.append(route.request)
            if len(posts) == 2:  # the server applies it, the answer is lost on the way back
                route.fetch()
                route.abort()
                return
            if len(posts) == 3:  # this one never reaches the server
                route.abort()
                return
        route.continue_()

    page.context.route("**/sessions/sync", flaky)
    page.context.set_offline(False)
    expect(pending(page)).to_be_hidden(timeout=60000)
    assert len(posts) >= 4  # two batches of ten, the second one sent three times
    assert set(server_marks(live_app, session_id).values()) == {"present"}
    assert submissions(live_app, session_id) == 20
    with live_app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(
                    AuditEntry.action == "attendance.mark",
                    AuditEntry.details["session"].as_integer() == session_id,
                )
            )
            == 20
        )


def test_two_tablets_marking_the_same_person(browser, live_app, open_page):
    session_id, codes = make_running_session(live_app, people=3, title="Hai máy tính bảng")
    first, second = open_page(TABLET), open_page(TABLET)
    for page in (first, second):
        sign_in(page, TRAINER)
        page.goto(f"/sessions/{session_id}")
        page.context.set_offline(True)
    row = f".person[data-staff-code='{codes[0]}']"
    first.locator(row + " button[value=present]").click()  # earlier on tablet A
    first.wait_for_timeout(50)
    second.locator(row + " button[value=absent]").click()  # later on tablet B
    second.context.set_offline(False)
    expect(pending(second)).to_be_hidden(timeout=30000)
    first.context.set_offline(False)
    expect(pending(first)).to_be_hidden(timeout=30000)
    expect(first.locator(row + " .row-note")).to_have_text("đã được thay đổi trên thiết bị khác")
    expect(first.locator(row + " button[value=absent]")).to_have_attribute("aria-pressed", "true")
    shot(first, "offline-4-changed-on-another-device")
    assert server_marks(live_app, session_id)[codes[0]] == "absent"
    with live_app.app_context():
        outcomes = sorted(
            e.details["status"] + ":" + e.details["outcome"]
            for e in db.session.scalars(
                select(AuditEntry).where(
                    AuditEntry.action == "sync.attendance",
                    AuditEntry.details["session"].as_integer() == session_id,
                )
            )
        )
    assert outcomes == ["absent:applied", "present:superseded"]


def qr_png(text, path):
    segno.make(text, error="m").save(str(path), kind="png", scale=8, border=4)
    return path


def y4m_of(text, path, size=(640, 480)):
    """A fake camera: a few frames of a QR code on a white background (YUV 4:2:0)."""
    code = Image.open(io.BytesIO(_png_bytes(text))).convert("RGB")
    frame = Image.new("RGB", size, "white")
    frame.paste(code, ((size[0] - code.width) // 2, (size[1] - code.height) // 2))
    y, u, v = frame.convert("YCbCr").split()
    half = (size[0] // 2, size[1] // 2)
    body = y.tobytes() + u.resize(half).tobytes() + v.resize(half).tobytes()
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{size[0]} H{size[1]} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            out.write(b"FRAME\n" + body)
    return path


def _png_bytes(text):
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


@pytest.mark.parametrize("late", [False, True])
def test_personal_qr_check_in_offline(browser, live_app, tmp_path, late):
    session_id, codes = make_running_session(
        live_app, people=3, title="Điểm danh bằng thẻ", late=1 if late else 60
    )
    key = CheckinKey.from_config(live_app.config)
    with live_app.app_context():
        outsider = db.session.scalar(
            select(Staff.staff_code)
            .where(Staff.staff_code.not_in(codes), Staff.position == "teacher")
            .limit(1)
        )
    camera = y4m_of(key.card(codes[1]), tmp_path / "camera.y4m")
    context = persistent(
        browser,
        live_app,
        tmp_path / "tablet",
        permissions=["camera"],
        args=[
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={camera}",
        ],
    )
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, TRAINER)
    download_for_offline(page)  # the decoder comes to the tablet with the sessions
    page.goto(f"/sessions/{session_id}")
    context.set_offline(True)
    result = page.locator("#scan-result")

    # forged: a genuine card's signature on another staff code; then a card of someone else
    statement, _dot, signature = key.card(codes[2]).rpartition(".")
    forged = statement.replace(codes[2], codes[0]) + "." + signature
    page.set_input_files("#scan-file", str(qr_png(forged, tmp_path / "forged.png")))
    expect(result).to_have_text("Từ chối: thẻ này không hợp lệ (không phải thẻ thật).")
    page.set_input_files("#scan-file", str(qr_png(key.card(outsider), tmp_path / "other.png")))
    expect(result).to_contain_text(f"{outsider} không có trong danh sách")
    page.set_input_files("#scan-file", str(qr_png("https://example.com", tmp_path / "x.png")))
    expect(result).to_have_text("Đây không phải thẻ điểm danh.")
    expect(pending(page)).to_have_text("Mất mạng")  # offline, nothing waiting: none was marked

    # the teacher holds the card in front of the (fake) camera
    page.get_by_role("button", name="Quét thẻ giáo viên").click()
    status = "late" if late else "present"
    expect(result).to_contain_text("Đi muộn: " if late else "Có mặt: ", timeout=20000)
    row = page.locator(f".person[data-staff-code='{codes[1]}']")
    expect(row.locator(f"button[value={status}]")).to_have_attribute("aria-pressed", "true")
    expect(pending(page)).to_have_text("1 chưa gửi")
    shot(page, f"offline-5-qr-check-in-{status}")
    page.get_by_role("button", name="Tắt camera").click()
    context.set_offline(False)
    expect(pending(page)).to_be_hidden(timeout=30000)
    assert server_marks(live_app, session_id) == {codes[0]: None, codes[1]: status, codes[2]: None}
    with live_app.app_context():
        assert (
            db.session.scalar(
                select(Enrollment.checked_in_at)
                .join(Staff)
                .where(Enrollment.session_id == session_id, Staff.staff_code == codes[1])
            )
            is not None
        )
    context.close()


def no_store_pages(live_app):
    """The cache policy of pages behind sign-in: ``Cache-Control: no-store`` (PDFs and
    fingerprinted files aside), which the browser's HTTP cache obeys and the Cache API not."""
    inner = live_app.wsgi_app

    def serving(environ, start_response):
        def policy(status, headers, exc_info=None):
            if not environ.get("PATH_INFO", "").startswith("/static/"):
                headers = [(k, v) for k, v in headers if k.lower() != "cache-control"]
                headers.append(("Cache-Control", "no-store"))
            return start_response(status, headers, exc_info)

        return inner(environ, policy)

    live_app.wsgi_app = serving
    return lambda: setattr(live_app, "wsgi_app", inner)


def test_downloaded_pages_open_offline_when_pages_are_no_store(browser, live_app, open_page):
    session_id, codes = make_running_session(live_app, people=3, title="Trang không lưu đệm")
    url = f"/sessions/{session_id}"
    restore = no_store_pages(live_app)
    try:
        page = open_page(TABLET)
        sign_in(page, TRAINER)
        assert page.request.get(url).headers["cache-control"] == "no-store"
        download_for_offline(page)
        page.goto(url)
        page.context.set_offline(True)
        page.reload()
        expect(page.locator("h1")).to_contain_text("Trang không lưu đệm")
        page.locator(f".person[data-staff-code='{codes[0]}'] button[value=present]").click()
        expect(pending(page)).to_have_text("1 chưa gửi")
        page.goto(url + "/results")
        expect(page.locator(f"#score-{codes[0]}")).to_be_visible()
        page.goto("/home")
        expect(page.locator("#offline-download-status")).to_contain_text(
            "đã được tải về thiết bị này"
        )
        page.context.set_offline(False)
        page.goto(url)
        sent(page)
    finally:
        restore()
    assert server_marks(live_app, session_id)[codes[0]] == "present"
