"""Issue 18, the clauses checked one by one (Debian's Chromium, 1280×800 tablet): the device's
storage is asked to be persistent when a mark is kept; the roster's SPEC §9 markup is the same
online and offline; marks left when the page was closed go by themselves once it is reopened
and the network returns; a mark for someone unenrolled meanwhile is reported on the tablet,
also after the page was reloaded without their row; a teacher's card is on their home and
prints alone, its QR code a signed statement of their staff code; Chromium finds the app
installable; a sign-in that expired while offline keeps the marks for the next one."""

from playwright.sync_api import expect
from sqlalchemy import select

from trainer.extensions import db
from trainer.org.models import Staff
from trainer.training import services
from trainer.training.models import TrainingSession

from .conftest import TABLET, sign_in
from .test_offline import (
    TRAINER,
    download_for_offline,
    make_running_session,
    pending,
    persistent,
    server_marks,
    submissions,
)

# Count the calls of navigator.storage.persist() (headless Chromium answers false: it grants
# persistence to installed apps and much-used sites, which a fresh test profile is not).
COUNT_PERSIST = """(() => {
  window.persistAsked = 0;
  if (!navigator.storage || !navigator.storage.persist) return;
  const real = navigator.storage.persist.bind(navigator.storage);
  navigator.storage.persist = () => { window.persistAsked += 1; return real(); };
})();"""

NOT_PERSISTENT = "Trình duyệt chưa đánh dấu bộ nhớ này là lâu dài"
GRANT_PERSISTENCE = """navigator.storage.persisted = () => Promise.resolve(true);"""

MARKUP = """rows => rows.map(row => [row.dataset.staffCode,
  [...row.querySelectorAll("button")].map(b => [b.type, b.name, b.value].join(" "))])"""


def asked_to_persist(page):
    """How often the page asked for persistent storage, once it asked (a poll from here: the
    page's CSP refuses the eval of ``wait_for_function``'s polling)."""
    for _ in range(100):
        if page.evaluate("window.persistAsked"):
            break
        page.wait_for_timeout(100)
    return page.evaluate("window.persistAsked")


def test_closed_page_reopened_offline_sends_by_itself_when_the_network_returns(live_app, open_page):
    session_id, codes = make_running_session(live_app, people=4, title="Mở lại trang")
    url = f"/sessions/{session_id}"
    page = open_page(TABLET)
    page.context.add_init_script(COUNT_PERSIST)
    sign_in(page, TRAINER)
    download_for_offline(page)
    # headless Chromium does not grant persistence to a fresh profile: the trainer is told
    expect(page.locator("#offline-download-status")).to_contain_text(NOT_PERSISTENT)
    page.goto(url)
    rows = page.locator(".person[data-staff-code]")
    online_markup = rows.evaluate_all(MARKUP)
    assert [code for code, _ in online_markup] != [] and sorted(c for c, _ in online_markup) == (
        sorted(codes)
    )
    statuses = ["submit status present", "submit status late"]
    statuses += ["submit status excused", "submit status absent"]
    assert all(buttons == statuses for _, buttons in online_markup), online_markup

    page.context.set_offline(True)
    page.reload()  # the device's copy, from the service worker
    expect(page.locator("h1")).to_contain_text("Mở lại trang")
    assert rows.evaluate_all(MARKUP) == online_markup  # SPEC §9: the same markup offline
    assert page.evaluate("window.persistAsked") == 0  # nothing kept yet, nothing asked
    for i in range(3):
        rows.nth(i).locator("button[name=status][value=present]").click()
    expect(page.locator("header.topbar #offline-status")).to_have_text("3 chưa gửi")  # header
    expect(page.locator("#session-pending")).to_have_text("3 chưa gửi")  # for the session
    assert asked_to_persist(page) == 1  # persistent storage asked for, once
    marked = rows.evaluate_all("rows => rows.slice(0, 3).map(r => r.dataset.staffCode)")

    page.close()  # the trainer closes the tab, still without a network
    page = page.context.new_page()
    page.goto(url)
    expect(pending(page)).to_have_text("3 chưa gửi")
    expect(page.locator("#session-pending")).to_have_text("3 chưa gửi")
    assert set(server_marks(live_app, session_id).values()) == {None}

    page.context.set_offline(False)  # nobody touches the page: it sends by itself
    expect(pending(page)).to_be_hidden(timeout=30000)
    expect(page.locator("#session-pending")).to_be_hidden()
    marks = server_marks(live_app, session_id)
    assert [marks[c] for c in marked] == ["present"] * 3
    assert submissions(live_app, session_id) == 3


def unenroll(live_app, session_id, code):
    with live_app.app_context():
        session = db.session.get(TrainingSession, session_id)
        staff = db.session.scalar(select(Staff).where(Staff.staff_code == code))
        services.unenroll(session, staff)
        db.session.commit()
        return staff.full_name


def test_a_mark_for_someone_unenrolled_meanwhile_is_reported_on_the_tablet(live_app, open_page):
    session_id, codes = make_running_session(live_app, people=3, title="Rút tên khi mất mạng")
    url = f"/sessions/{session_id}"
    page = open_page(TABLET)
    sign_in(page, TRAINER)
    page.goto(url)
    page.context.set_offline(True)
    gone, stays = codes[0], codes[1]
    page.locator(f"#p-{gone} button[value=present]").click()
    page.locator(f"#p-{stays} button[value=late]").click()
    expect(pending(page)).to_have_text("2 chưa gửi")
    name = unenroll(live_app, session_id, gone)  # meanwhile, at the office

    page.context.set_offline(False)
    expect(pending(page)).to_be_hidden(timeout=30000)
    refusal = "không lưu được: không còn trong danh sách"
    expect(page.locator(f"#p-{gone} .row-note")).to_have_text(refusal)  # on the row
    marks = server_marks(live_app, session_id)
    assert gone not in marks and marks[stays] == "late"

    page.reload()  # the roster no longer has the row: the refusal is still reported
    expect(page.locator(f"#p-{gone}")).to_have_count(0)
    box = page.locator("#session-refused")
    expect(box).to_be_visible()
    expect(box.locator("li")).to_have_text([f"{name} ({gone}): {refusal}"])
    page.get_by_role("button", name="Đã xem, ẩn danh sách này").click()
    expect(box).to_be_hidden()
    page.reload()
    expect(page.locator("h1")).to_contain_text("Rút tên khi mất mạng")
    expect(box).to_be_hidden()
    # hidden, not deleted: the refused mark stays in the device's outbox
    kept = page.evaluate(
        """code => window.trainerOffline.items().then(list => list
           .filter(i => i.staff_code === code).map(i => i.state + " " + i.seen))""",
        gone,
    )
    assert kept == ["refused true"]


DECODE = """async png => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const found = jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data,
                     canvas.width, canvas.height);
  return found ? found.data : null;
}"""


def test_a_teachers_personal_card_is_on_their_home_and_prints_alone(live_app, open_page):
    import base64
    import io

    from pypdf import PdfReader

    from trainer.accounts.models import User
    from trainer.training.checkin_keys import CheckinKey

    with live_app.app_context():
        teacher = db.session.scalar(select(User).where(User.role == "teacher").order_by(User.id))
        code, name = teacher.staff.staff_code, teacher.staff.full_name
    page = open_page(TABLET)
    sign_in(page, code)
    page.goto("/home")
    page.get_by_role("link", name="Thẻ điểm danh của tôi").click()
    card = page.locator(".card-print")
    expect(card).to_contain_text(name)
    expect(page.locator(".topbar")).to_be_visible()

    page.emulate_media(media="print")  # what Ctrl+P prints: the card alone
    expect(card.locator("img")).to_be_visible()
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("h1")).to_be_hidden()
    printed = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(printed.pages) == 1 and code in printed.pages[0].extract_text()

    # the printed QR code is a signed statement of the teacher's staff code
    png = base64.b64encode(card.locator("img").screenshot()).decode()
    page.add_script_tag(url="/static/js/vendor/jsQR.js")  # the vendored decoder (CSP: self)
    text = page.evaluate(DECODE, png)
    assert text and text.startswith("TRC1.")
    assert CheckinKey.from_config(live_app.config).staff_code_of(text) == code


def test_the_app_is_installable_on_the_tablet(browser, live_app, tmp_path):
    """Item 1: Chromium finds nothing that keeps the app from being installed (manifest,
    service worker controlling the page, icon), asked through the DevTools protocol."""
    context = persistent(browser, live_app, tmp_path / "tablet")  # not incognito
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, TRAINER)
    download_for_offline(page)
    page.goto("/home")
    assert page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)") is True
    devtools = context.new_cdp_session(page)
    manifest = devtools.send("Page.getAppManifest")
    assert manifest["errors"] == [] and '"display":"standalone"' in manifest["data"]
    assert devtools.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    context.close()


def test_a_sign_in_that_expired_offline_keeps_the_marks_until_the_next_one(live_app, open_page):
    """Item 5: the sign-in ends while the tablet is offline (its cookie expires); when the
    network returns the marks are not dropped: the header asks to sign in, then they go."""
    session_id, codes = make_running_session(live_app, people=3, title="Hết phiên khi mất mạng")
    url = f"/sessions/{session_id}"
    page = open_page(TABLET)
    sign_in(page, TRAINER)
    page.goto(url)
    page.context.set_offline(True)
    for code in codes[:2]:
        page.locator(f"#p-{code} button[value=excused]").click()
    expect(pending(page)).to_have_text("2 chưa gửi")
    page.context.clear_cookies()  # the sign-in expired meanwhile
    page.context.set_offline(False)
    expect(pending(page)).to_have_text("2 chưa gửi: hãy đăng nhập để gửi", timeout=30000)
    assert page.evaluate("window.trainerOffline.items().then(l => l.length)") == 2
    assert set(server_marks(live_app, session_id).values()) == {None}
    sign_in(page, TRAINER)
    page.goto(url)
    expect(pending(page)).to_be_hidden(timeout=30000)
    marks = server_marks(live_app, session_id)
    assert [marks[c] for c in codes] == ["excused", "excused", None]
    assert submissions(live_app, session_id) == 2


def test_no_warning_where_the_browser_keeps_the_storage(live_app, open_page):
    """Where the browser marked the storage persistent (an installed app), the download says
    nothing about space."""
    page = open_page(TABLET)
    page.context.add_init_script(GRANT_PERSISTENCE)
    sign_in(page, TRAINER)
    download_for_offline(page)
    note = page.locator("#offline-download-status")
    expect(note).to_have_class("offline-ready")
    expect(note).not_to_contain_text(NOT_PERSISTENT)
