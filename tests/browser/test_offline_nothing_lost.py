"""Item 5 of the offline issue, "nothing lost", in Chromium on a 1280×800 tablet: signing out
with marks unsent asks first and keeps them for the same user; "Xuất dữ liệu chưa gửi" saves
them in a signed file that an admin loads once (an edited file is refused); a new version of
the service worker activates while marks wait, and they remain."""

import json

from playwright.sync_api import expect

from .conftest import TABLET, shot, sign_in
from .test_offline import (
    TRAINER,
    download_for_offline,
    make_running_session,
    pending,
    sent,
    server_marks,
    submissions,
)

ADMIN = "admin@demo.trainer.vn"


def mark_offline(page, count, status="present"):
    rows = page.locator(".person[data-staff-code]")
    codes = rows.evaluate_all("rows => rows.map(r => r.dataset.staffCode)")[:count]
    for i in range(count):
        rows.nth(i).locator(f"button[name=status][value={status}]").click()
    expect(pending(page)).to_have_text(f"{count} chưa gửi")
    return codes


def hold_syncs(context):
    """The tablet is online but its syncs never arrive (a captive portal, a broken link)."""
    context.route("**/sessions/sync", lambda route: route.abort())


def test_signing_out_with_unsent_marks_asks_and_keeps_them_for_that_user(
    browser, live_app, open_page
):
    session_id, codes = make_running_session(live_app, people=4, title="Đăng xuất khi chưa gửi")
    page = open_page(TABLET)
    sign_in(page, TRAINER)
    page.goto(f"/sessions/{session_id}")
    page.context.set_offline(True)
    marked = mark_offline(page, 2)
    hold_syncs(page.context)
    page.context.set_offline(False)
    page.wait_for_timeout(500)
    expect(pending(page)).to_have_text("2 chưa gửi")

    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_timeout(500)
    assert "2 lượt điểm danh/kết quả chưa được gửi" in questions[0], questions
    expect(page).to_have_url(f"{live_app.config['LIVE_URL']}/sessions/{session_id}")
    page.once("dialog", lambda d: answer(d, True))
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/login**")
    page.context.unroute("**/sessions/sync")

    # another user of the same tablet: the marks wait, they are not sent as theirs
    sign_in(page, ADMIN)
    page.goto(f"/sessions/{session_id}")
    page.evaluate("window.trainerOffline.syncNow()")
    expect(page.locator("#session-pending")).to_have_text("2 chưa gửi")
    assert set(server_marks(live_app, session_id).values()) == {None}
    assert page.evaluate("window.trainerOffline.items().then(l => l.length)") == 2
    page.get_by_role("button", name="Đăng xuất").click()  # no question: none of theirs
    page.wait_for_url("**/login**")

    # the same trainer signs in again: the marks go by themselves
    sign_in(page, TRAINER)
    page.goto(f"/sessions/{session_id}")
    sent(page)
    assert [server_marks(live_app, session_id)[c] for c in marked] == ["present", "present"]
    assert submissions(live_app, session_id) == 2


def test_unsent_marks_saved_to_a_signed_file_are_loaded_by_an_admin_once(
    browser, live_app, open_page, tmp_path
):
    session_id, codes = make_running_session(live_app, people=5, title="Xuất tệp chưa gửi")
    tablet = open_page(TABLET)
    sign_in(tablet, TRAINER)
    download_for_offline(tablet)  # the export key comes with the download
    tablet.goto(f"/sessions/{session_id}")
    tablet.context.set_offline(True)
    marked = mark_offline(tablet, 3, "late")
    exporter = tablet.get_by_role("button", name="Xuất dữ liệu chưa gửi")
    expect(exporter).to_be_visible()
    with tablet.expect_download() as saving:
        exporter.click()
    saved = tmp_path / saving.value.suggested_filename
    saving.value.save_as(saved)
    assert saved.name.startswith("du-lieu-chua-gui-") and saved.suffix == ".json"
    content = json.loads(saved.read_text(encoding="utf-8"))
    assert (
        content["format"] == "trainer-unsent/1"
        and len(json.loads(content["payload"])["items"]) == 3
    )
    expect(pending(tablet)).to_have_text("3 chưa gửi")  # saving a file deletes nothing

    office = open_page(TABLET)
    sign_in(office, ADMIN)
    office.goto("/home")
    office.get_by_role("link", name="Nạp dữ liệu chưa gửi").click()
    # a file edited after it was saved: refused whole
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(content).replace("late", "absent"), encoding="utf-8")
    office.set_input_files("#unsent-file-input", str(edited))
    office.get_by_role("button", name="Nạp tệp").click()
    expect(office.locator("#unsent-error")).to_contain_text("Tệp đã bị sửa sau khi lưu")
    assert set(server_marks(live_app, session_id).values()) == {None}
    office.set_input_files("#unsent-file-input", str(saved))
    office.get_by_role("button", name="Nạp tệp").click()
    expect(office.locator("#unsent-counts")).to_have_text(
        "3 được ghi nhận, 0 bị thay bằng lượt điểm danh sau hơn, 0 bị từ chối."
    )
    shot(office, "offline-6-unsent-file-loaded")
    assert [server_marks(live_app, session_id)[c] for c in marked] == ["late"] * 3

    # the tablet's connection returns: the same marks arrive again and change nothing
    tablet.context.set_offline(False)
    expect(pending(tablet)).to_be_hidden(timeout=30000)
    assert submissions(live_app, session_id) == 3
    office.set_input_files("#unsent-file-input", str(saved))  # and the file once more
    office.get_by_role("button", name="Nạp tệp").click()
    expect(office.locator("#unsent-summary tbody tr")).to_have_count(3)
    expect(office.locator("#unsent-summary")).to_contain_text("đã nhận trước đó")
    assert submissions(live_app, session_id) == 3


def newer_service_worker(live_app):
    """The server starts serving a new version of /sw.js (as after a deployment)."""
    inner = live_app.wsgi_app

    def serving(environ, start_response):
        if environ.get("PATH_INFO") != "/sw.js":
            return inner(environ, start_response)
        environ.pop("HTTP_IF_NONE_MATCH", None)
        environ.pop("HTTP_IF_MODIFIED_SINCE", None)
        answer = {}

        def keep(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)

        body = b"".join(inner(environ, keep)) + b"\n// version 2\n"
        headers = [
            (k, v) for k, v in answer["headers"] if k.lower() not in ("content-length", "etag")
        ]
        start_response(answer["status"], headers + [("Content-Length", str(len(body)))])
        return [body]

    live_app.wsgi_app = serving
    return lambda: setattr(live_app, "wsgi_app", inner)


UPDATE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  const before = registration.active;
  await registration.update();
  const done = () => registration.active !== before && registration.active.state === "activated";
  for (let i = 0; i < 100 && !done(); i++) await new Promise(r => setTimeout(r, 100));
  const served = await (await fetch("/sw.js", {cache: "no-store"})).text();
  return done() && served.includes("version 2");
}"""


def test_a_new_service_worker_activates_and_the_unsent_marks_remain(browser, live_app, open_page):
    session_id, codes = make_running_session(live_app, people=4, title="Cập nhật ứng dụng")
    url = f"/sessions/{session_id}"
    page = open_page(TABLET)
    sign_in(page, TRAINER)
    download_for_offline(page)
    page.goto(url)
    page.context.set_offline(True)
    marked = mark_offline(page, 2)
    hold_syncs(page.context)
    page.context.set_offline(False)
    restore = newer_service_worker(live_app)
    try:
        assert page.evaluate(UPDATE) is True  # the new version installed and took over
    finally:
        restore()
    page.reload()
    expect(pending(page)).to_have_text("2 chưa gửi")
    page.context.set_offline(True)
    page.reload()  # the downloaded page is still on the device, served by the new worker
    expect(page.locator("h1")).to_contain_text("Cập nhật ứng dụng")
    expect(pending(page)).to_have_text("2 chưa gửi")
    page.context.unroute("**/sessions/sync")
    page.context.set_offline(False)
    expect(pending(page)).to_be_hidden(timeout=30000)
    assert [server_marks(live_app, session_id)[c] for c in marked] == ["present", "present"]
    assert submissions(live_app, session_id) == 2
