"""Three journeys in a real browser: an IT teacher, a teacher and a sub-department head, each
on a tablet (1280×800), a phone (390×844) and a laptop (1366×900), in Vietnamese and in
English (issue 20's "Done when"): 3 journeys × 3 viewports × 2 languages.

The language is chosen the way a user chooses it: the "English" link of the menu on the
sign-in page (inside the folded "Danh mục" menu on a phone). Every expected text is read from
the app's catalogues (``say``): the English text is the message as written in the source (or
the English catalogue), the Vietnamese one must exist in the Vietnamese catalogue, so a
message left untranslated fails here instead of showing English on a Vietnamese page. On
English pages the labels, buttons, column heads, tabs and menus must hold no Vietnamese
(``check_page``); axe-core runs on the pages visited, on every viewport.

The whole matrix runs every journey in full: the live server and its seeded SQLite database
are shared by the whole session (``conftest.live_app``), and so is one Chromium process (a
fresh context per journey, no fixed sleeps). The runs share that database, so each IT-teacher
run works on its own day (the trainer's sessions must not overlap) and brings two new
colleagues who have passed the first five modules (the bulk issue then always has someone
to issue to). The one-PDF print of a whole school is heavy and the same on every screen: it
is downloaded on the tablet (the IT teacher's device, both languages) and only seen as a link
elsewhere. The full matrix stays within the time budget of issue 20 (about 2.7 minutes more
than the three single-screen journeys, median of three runs on a loaded 2-core machine: see
the README's paragraph on the browser journeys), so no run is shortened to a quicker walk.
"""

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.support import Translations
from playwright.sync_api import expect
from sqlalchemy import select

import trainer
from trainer.accounts.models import User
from trainer.certificates.models import Certificate
from trainer.certificates.services import IssueSettings, new_certificate, reserve_numbers
from trainer.curriculum.models import CertificateLevel, Module
from trainer.curriculum.services import record_result
from trainer.extensions import db
from trainer.org.models import Staff
from trainer.training.checkin import current_codes
from trainer.training.models import Enrollment, TrainingSession

from .conftest import PHONE, TABLET, check_accessibility, shot, sign_in

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
LAPTOP = {"width": 1366, "height": 900}
VIEWPORTS = {"tablet": TABLET, "phone": PHONE, "laptop": LAPTOP}
LANGUAGES = ("vi", "en")
RUNS = [(screen, lang) for screen in VIEWPORTS for lang in LANGUAGES]
MATRIX = pytest.mark.parametrize("screen, lang", RUNS, ids=[f"{s}-{lang}" for s, lang in RUNS])

CATALOGUES = {
    lang: Translations.load(str(Path(trainer.__file__).parent / "translations"), [lang])
    for lang in LANGUAGES
}


def say(lang, message, **values):
    """``message`` as the app shows it in ``lang`` (its values filled in)."""
    text = CATALOGUES[lang].gettext(message)
    if lang == "vi":
        assert text != message, f"no Vietnamese for {message!r}"
    return text % values if values else text


def said(lang, message, **values):
    """A pattern for ``message`` in ``lang``: each placeholder not given is a group (unnamed:
    Playwright hands it to JavaScript)."""
    text = say(lang, message)
    pattern = re.escape(text)
    for name in re.findall(r"%\((\w+)\)[sd]", text):
        for kind in "sd":
            escaped = re.escape(f"%({name}){kind}")
            if name in values:
                pattern = pattern.replace(escaped, re.escape(str(values[name])))
            else:
                pattern = pattern.replace(escaped, "(.+?)")
    return re.compile(pattern)


VIETNAMESE_CHROME = """() => {
    const chrome = 'button, summary, label, legend, th[scope=col], .hint, .tabs a, '
        + '.pagination, nav[aria-label] > a, .usernav > a, .flash';
    const vietnamese = s => /[\\u0300-\\u036f\\u0111\\u0110]/.test(s.normalize('NFD'));
    return [...document.querySelectorAll(chrome)]
        .filter(e => !e.closest('[data-name], label.check, .breadcrumb, [lang=vi]'))
        .map(e => e.innerText.trim())
        .filter(vietnamese);
}"""


def check_page(page, lang):
    """The page is in ``lang`` (English pages: no Vietnamese in labels, buttons, menus)."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    if lang == "en":
        found = page.evaluate(VIETNAMESE_CHROME)
        assert found == [], f"{page.url}: Vietnamese on an English page: {found}"


def menu(page, screen, lang):
    """The main menu, open: on a phone one "Danh mục"/"Menu" button opens it (issue 20),
    wider it is a row of links."""
    button = page.locator("#menu > summary")
    if screen == "phone":
        expect(button).to_be_visible()
        expect(button).to_contain_text(say(lang, "Menu"))
        if page.locator("#menu[open]").count() == 0:
            button.click()
    else:
        expect(button).to_be_hidden()
    return page.locator("#menu")


def go(page, screen, lang, message):
    """Follow the main menu's link ``message``, as a user on ``screen`` reaches it."""
    nav = menu(page, screen, lang).get_by_role("navigation", name=say(lang, "Main menu"))
    link = nav.get_by_role("link", name=say(lang, message), exact=True)
    # the administrator's secondary pages sit under one "Administration" item on wider
    # screens (a <details>): open it first, as a user would
    hidden_too = page.get_by_role(
        "link", name=say(lang, message), exact=True, include_hidden=True
    )  # a closed <details> hides its links from the accessibility tree
    group = nav.locator("details.submenu", has=hidden_too)
    if group.count() and not link.is_visible():
        group.locator("summary").click()
    expect(link).to_be_visible()
    link.click()


def open_filters(page):
    """Filters sit in a "Bộ lọc" disclosure, folded on a phone: open it, as a user would."""
    box = page.locator("details#filters")
    page.wait_for_load_state()  # a script opens it on wider screens when the page has loaded
    if box.count() and box.get_attribute("open") is None:
        box.locator("summary").click()
    expect(box).to_have_attribute("open", "")


def start(open_page, screen, lang):
    """A fresh browser on ``screen`` at the sign-in page, switched to ``lang`` by its link."""
    page = open_page(VIEWPORTS[screen])
    page.goto("/login")
    if lang == "en":
        menu(page, screen, "vi").get_by_role("link", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    check_page(page, lang)
    return page


def demo_user(role):
    return db.session.scalar(select(User).where(User.role == role).order_by(User.id))


@MATRIX
def test_it_teacher(live_app, open_page, screen, lang):
    run = RUNS.index((screen, lang))
    with live_app.app_context():
        trainer_ = demo_user("trainer").staff
        school = trainer_.org_unit
        modules = {m.code: m for m in db.session.scalars(select(Module))}
        newcomers = [
            Staff(
                staff_code=f"JRN{run}{n}",
                full_name=f"Lò Văn Mới {run}{n}",
                org_unit=school,
                position="teacher",
                status="active",
            )
            for n in (1, 2)
        ]
        db.session.add_all(newcomers)
        db.session.flush()
        colleagues = db.session.scalars(
            select(Staff).where(
                Staff.org_unit_id == school.id, Staff.status == "active", Staff.id != trainer_.id
            )
        ).all()
        for person in colleagues:  # IU01–IU05 passed earlier: IU06 today completes basic
            for code in ("IU01", "IU02", "IU03", "IU04", "IU05"):
                record_result(person, modules[code], 75, date(2026, 1, 15))
        db.session.commit()
        school_code, school_name = school.code, school.name
        module_label = f"IU06 · {modules['IU06'].name(lang)}"  # in the reader's language
        trainer_email = demo_user("trainer").email
    # each run on its own past day: the trainer's sessions must not overlap
    day = (datetime.now(LOCAL) - timedelta(days=1 + run)).date()
    title = f"Sử dụng Internet an toàn ({screen}, {lang})"

    page = start(open_page, screen, lang)
    sign_in(page, "trainer@demo.trainer.vn")
    page.get_by_role("link", name=say(lang, "Schedule a session"), exact=True).first.click()
    expect(page.locator("h1")).to_have_text(say(lang, "Schedule a session"))
    page.select_option("#module", label=module_label)
    page.fill("#title", title)
    page.fill("#venue", "")
    page.fill("#day", f"31/02/{day.year}")  # no such day, and no venue: two messages
    page.fill("#start", "05:00")
    page.fill("#end", "06:00")
    page.fill("#capacity", "60")
    page.get_by_role("button", name=say(lang, "Save"), exact=True).click()
    venue_field = page.locator(".field", has=page.locator("#venue"))
    expect(venue_field.locator(".error")).to_have_text(say(lang, "This field is required."))
    day_field = page.locator(".field", has=page.locator("#day"))
    expect(day_field.locator(".error")).to_have_text(
        say(lang, "Not a valid date: write it as dd/mm/yyyy.")
    )
    expect(page.locator("#day")).to_have_value(f"31/02/{day.year}")  # kept, to correct
    expect(page.locator("#day")).to_have_attribute("placeholder", "dd/mm/yyyy")
    check_page(page, lang)
    page.fill("#venue", school_code)
    page.fill("#location", "Phòng tin học")
    page.fill("#day", day.strftime("%d/%m/%Y"))  # dd/mm/yyyy, whatever the browser's locale
    page.get_by_role("button", name=say(lang, "Save"), exact=True).click()
    expect(page.locator(".flash-success")).to_have_text(
        say(lang, "%(n)d session(s) scheduled.", n=1)
    )
    expect(page.locator("h1")).to_contain_text(title)
    expect(page.locator("dl.details")).to_contain_text(f"{day:%d/%m/%Y} 05:00")
    session_id = int(re.search(r"/sessions/(\d+)", page.url).group(1))
    shot(page, f"trainer-1-session-{screen}-{lang}")

    page.fill("#school", school_code)
    page.get_by_role("button", name=say(lang, "Enrol the whole school")).click()
    expect(page.locator(".flash-success")).to_have_text(said(lang, "%(n)d enrolled."))
    first = page.locator(".person").first
    first.locator("button.mark-late").click()  # one tap, sent in the background
    expect(first.locator("button.mark-late")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name=say(lang, "Mark all present")).click()
    expect(page.locator("button.mark-present[aria-pressed=true]").first).to_be_visible()
    expect(page.locator("button.mark-late[aria-pressed=true]")).to_have_count(1)
    check_page(page, lang)
    shot(page, f"trainer-2-attendance-{screen}-{lang}")
    check_accessibility(page)

    # results: entered, reopened with the scores, one corrected
    page.get_by_role("link", name=say(lang, "Enter results")).click()
    scores = page.locator("input[name^=score-]")
    expect(scores.first).to_be_visible()
    people = scores.count()
    for field in scores.all():
        field.fill("82")
    page.get_by_role("button", name=say(lang, "Save results")).click()
    expect(page.locator(".flash-success")).to_have_text(
        say(lang, "%(n)d result(s) saved.", n=people)
    )
    page.get_by_role("link", name=say(lang, "Enter results")).click()
    expect(scores.first).to_have_value("82")
    expect(scores.last).to_have_value("82")
    scores.first.fill("91")
    page.get_by_role("button", name=say(lang, "Save results")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.get_by_role("link", name=say(lang, "Enter results")).click()
    expect(scores.first).to_have_value("91")
    expect(scores.last).to_have_value("82")
    check_page(page, lang)
    check_accessibility(page)

    page.goto(f"/certificates/bulk?org={school_code}&level=basic")
    expect(page.locator("main")).to_contain_text(school_name)
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.locator("main form[method=post] button.primary").click()
    outcome = page.locator(".job-outcome")
    issued_pattern = said(lang, "%(n)d certificate(s) issued.")
    expect(outcome).to_contain_text(issued_pattern, timeout=60000)  # the page follows the job
    assert questions == [
        say(
            lang,
            "Issue the certificates to everyone eligible in this list? Each gets a number "
            "that cannot be reused.",
        )
    ]  # asked before issuing
    issued = int(issued_pattern.search(outcome.inner_text()).group(1))
    assert issued >= 2  # at least this run's two newcomers
    expect(outcome.locator("a[href*='/certificates/']")).to_have_count(issued)  # listed, linked
    check_page(page, lang)
    shot(page, f"trainer-3-certificates-{screen}-{lang}")
    page.goto(f"/certificates/bulk?org={school_code}&level=basic")
    print_all = page.get_by_role("button", name=say(lang, "Print all (one PDF)"))
    expect(print_all).to_be_visible()
    if screen == "tablet":
        print_all.click()
        download_link = page.locator(".job-outcome").get_by_role(
            "link", name=said(lang, "Download %(name)s")
        )
        expect(download_link).to_be_visible(timeout=60000)
        with page.expect_download() as download:
            download_link.click()
        assert download.value.path().read_bytes().startswith(b"%PDF")

    # the session list: upcoming first, this past session one tab away
    go(page, screen, lang, "Sessions")
    tabs = page.get_by_role("navigation", name=say(lang, "Which sessions"))
    expect(tabs.get_by_role("link", name=say(lang, "Upcoming"))).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("link", name=title)).to_have_count(0)
    check_page(page, lang)
    check_accessibility(page)
    tabs.get_by_role("link", name=say(lang, "Past")).click()
    expect(tabs.get_by_role("link", name=say(lang, "Past"))).to_have_attribute(
        "aria-current", "page"
    )
    page.get_by_role("link", name=title).click()

    # cancelling asks first: "no" keeps the session, "yes" cancels it
    expect(page.locator("h1")).to_contain_text(title)
    cancel = page.get_by_role("button", name=say(lang, "Cancel session"))
    questions, answers = [], iter([False, True])

    def answer(dialog):  # one listener for both questions: they are answered in order
        questions.append(dialog.message)
        dialog.accept() if next(answers) else dialog.dismiss()

    page.on("dialog", answer)
    cancel.click()
    expect(page.get_by_role("link", name=say(lang, "Enter results"))).to_be_visible()
    cancel.click()
    expect(page.locator(".flash")).to_have_text(say(lang, "The session has been cancelled."))
    expect(page.locator("h1 .badge")).to_have_text(say(lang, "Cancelled"))
    expect(page.get_by_role("link", name=say(lang, "Enter results"))).to_have_count(0)
    expect(page.get_by_role("link", name=say(lang, "Show check-in code"))).to_have_count(0)
    confirm = say(
        lang,
        "Cancel the session “%(title)s”? Everyone enrolled will see it as cancelled.",
        title=title,
    )
    assert questions == [confirm, confirm]
    page.remove_listener("dialog", answer)
    check_page(page, lang)

    # the administrator reads it in the audit log, as a sentence with a link to the session
    admin = start(open_page, screen, lang)
    sign_in(admin, "admin@demo.trainer.vn")
    go(admin, screen, lang, "Audit log")
    open_filters(admin)
    admin.fill("#who", trainer_email)
    admin.select_option("#action", "session.cancel")
    today = datetime.now(LOCAL).strftime("%d/%m/%Y")
    expect(admin.locator("#from")).to_have_attribute("placeholder", "dd/mm/yyyy")
    admin.fill("#from", today)  # day first, as every date field (not the browser's format)
    admin.get_by_role("button", name=say(lang, "Filter")).click()
    expect(admin.locator("#from")).to_have_value(today)
    row = admin.locator("[data-action='session.cancel']").first
    expect(row).to_contain_text(said(lang, "%(who)s cancelled the session %(session)s."))
    link = row.get_by_role("link", name=f"“{title}” (#{session_id})")
    expect(link).to_be_visible()
    expect(admin.locator("main")).not_to_contain_text("TrainingSession")
    check_page(admin, lang)
    check_accessibility(admin)
    link.click()
    expect(admin.locator("h1")).to_contain_text(title)


@MATRIX
def test_teacher(live_app, open_page, screen, lang):
    with live_app.app_context():
        teacher = demo_user("teacher").staff
        now = datetime.now(LOCAL)
        running = db.session.scalar(
            select(TrainingSession)
            .join(Enrollment)
            .where(
                Enrollment.staff_id == teacher.id,
                TrainingSession.starts_at <= now,
                TrainingSession.ends_at >= now,
            )
        )
        enrollment = db.session.scalar(
            select(Enrollment).where(
                Enrollment.session_id == running.id, Enrollment.staff_id == teacher.id
            )
        )  # not checked in yet (another run of this journey may have checked in)
        enrollment.status = enrollment.marked_at = enrollment.checked_in_at = None
        enrollment.marked_by_id = None
        token, short, _ = current_codes(running, live_app.config["SECRET_KEY"])
        if not db.session.scalar(
            select(Certificate.id).where(
                Certificate.staff_id == teacher.id, Certificate.external.is_(False)
            )
        ):
            settings = IssueSettings()
            [number] = reserve_numbers(settings.prefix, date.today().year, 1)
            level = db.session.scalar(
                select(CertificateLevel).where(CertificateLevel.code == "basic")
            )
            db.session.add(
                new_certificate(
                    teacher,
                    level,
                    number,
                    issued_by=None,
                    issued_on=date.today(),
                    settings=settings,
                )
            )
        db.session.commit()
        staff_code, session_id = teacher.staff_code, running.id

    page = start(open_page, screen, lang)
    page.goto(f"/checkin/{session_id}/{token}")  # the QR code's link
    expect(page).to_have_url(re.compile("/login"))  # asks the teacher to sign in first
    page.fill("#identifier", staff_code)
    page.fill("#password", "trainer-demo-2026")
    page.click("button[type=submit]")
    expect(page.locator(".flash")).to_contain_text(
        say(lang, "Checked in: %(status)s.").split("%(status)s")[0].strip()
    )
    check_page(page, lang)
    shot(page, f"teacher-1-checkin-{screen}-{lang}")

    # the code typed by hand: a wrong one is told in the page's language, spaces are fine
    go(page, screen, lang, "Check in")
    code = page.locator("#code")
    expect(code).to_have_attribute("inputmode", "numeric")
    code.fill("12345")
    page.locator("main").get_by_role("button", name=say(lang, "Check in")).click()
    expect(page.locator(".field .error")).to_have_text(
        say(lang, "Enter the 6 digits shown by the trainer.")
    )
    check_page(page, lang)
    page.locator("#code").fill(f"{short[:3]} {short[3:]}")  # as the trainer's screen shows it
    page.locator("main").get_by_role("button", name=say(lang, "Check in")).click()
    expect(page.locator(".field .error")).to_have_text(  # the code is understood
        say(lang, "You have already checked in to this session.")
    )

    # my sessions: cards with the upcoming/past tabs, no administrator's filters
    go(page, screen, lang, "Sessions")
    expect(page.locator("h1")).to_have_text(say(lang, "My sessions"))
    tabs = page.get_by_role("navigation", name=say(lang, "Which sessions"))
    expect(tabs.get_by_role("link", name=say(lang, "Upcoming"))).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("main form[role=search]")).to_have_count(0)
    expect(page.locator("main table")).to_have_count(0)
    card = page.locator(".session-card").first
    expect(card).to_be_visible()
    card_box = card.bounding_box()
    assert card_box["x"] >= 0 and card_box["x"] + card_box["width"] <= VIEWPORTS[screen]["width"]
    check_page(page, lang)
    check_accessibility(page)
    shot(page, f"teacher-2-sessions-{screen}-{lang}")

    go(page, screen, lang, "Home")
    page.get_by_role("link", name=say(lang, "My profile")).click()
    expect(page.locator(".level-progress .bar").nth(1)).to_be_attached()
    check_page(page, lang)
    shot(page, f"teacher-3-progress-{screen}-{lang}")
    check_accessibility(page)

    if screen == "phone":  # the menu is one button with targets a thumb can hit
        menu(page, screen, lang)
        for link in page.get_by_role("navigation", name=say(lang, "Main menu")).locator("a").all():
            assert link.bounding_box()["height"] >= 44, link.inner_text()
    go(page, screen, lang, "My certificates")
    download_pdf = page.get_by_role("link", name=say(lang, "Download PDF")).first
    expect(download_pdf).to_be_visible()
    expect(download_pdf).to_be_in_viewport()
    check_page(page, lang)
    with page.expect_download() as download:
        download_pdf.click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    shot(page, f"teacher-4-certificates-{screen}-{lang}")


@MATRIX
def test_head(live_app, open_page, screen, lang):
    with live_app.app_context():
        unit = demo_user("manager").org_unit
        unit_name, province_name = unit.name, unit.parent.name
        basic = db.session.scalar(select(CertificateLevel).where(CertificateLevel.code == "basic"))
        level_name = basic.name(lang)
    page = start(open_page, screen, lang)
    sign_in(page, "manager@demo.trainer.vn")
    go(page, screen, lang, "Coverage")
    expect(page.locator("h1")).to_have_text(say(lang, "Coverage: %(unit)s", unit=unit_name))
    expect(page.locator(".headline .big")).to_have_text(re.compile(r"%$"))
    expect(page.locator("#level option:checked")).to_have_text(level_name)  # not always in vi
    # the gap in words: short of the target, above it, or reached; never a minus sign
    gap = page.locator(".headline strong")
    expect(gap).to_have_text(
        re.compile(
            "|".join(
                [
                    said(lang, "%(n)s points short").pattern,
                    said(lang, "%(n)s points above").pattern,
                    re.escape(say(lang, "reached")),
                ]
            )
        )
    )
    assert "−" not in gap.inner_text() and "-" not in gap.inner_text()
    # the path from the province, without a link above the head's own unit
    crumbs = page.get_by_role("navigation", name=say(lang, "Unit path"))
    expect(crumbs).to_contain_text(province_name)
    expect(crumbs.get_by_role("link", name=province_name)).to_have_count(0)
    check_page(page, lang)
    check_accessibility(page)
    shot(page, f"head-1-dashboard-{screen}-{lang}")

    # the date typed day first, kept so
    today = datetime.now(LOCAL).date()
    open_filters(page)
    page.fill("#as_of", today.strftime("%d/%m/%Y"))
    page.locator("form[role=search]").get_by_role("button", name=say(lang, "Show")).click()
    expect(page.locator(".headline")).to_contain_text(today.strftime("%d/%m/%Y"))
    expect(page.locator("#as_of")).to_have_value(today.strftime("%d/%m/%Y"))

    # the demo manager's unit is a commune of 1 July 2025: its rows are its schools
    below = page.locator("section", has=page.get_by_role("heading", name=say(lang, "Units below")))
    below.get_by_role("link", name=re.compile("^Trường")).first.click()  # a school (table or cards)
    expect(crumbs.get_by_role("link", name=unit_name)).to_be_visible()
    expect(crumbs.get_by_role("link", name=province_name)).to_have_count(0)
    check_page(page, lang)
    shot(page, f"head-2-school-{screen}-{lang}")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert download.value.path().read_bytes()[:2] == b"PK"
    page.get_by_role("link", name=say(lang, "Who still needs what")).click()
    expect(page.locator("h1")).to_contain_text(say(lang, "Who still needs what"))
    check_page(page, lang)
    shot(page, f"head-3-uncertified-{screen}-{lang}")

    # the staff list: page numbers, not only "next"
    go(page, screen, lang, "Staff")
    pages = page.get_by_role("navigation", name=say(lang, "Pages"))
    pages.get_by_role("link", name=say(lang, "Page %(page)s", page=2)).click()
    expect(pages.locator("[aria-current=page]")).to_have_text("2")
    expect(pages).to_contain_text(said(lang, "Page %(page)s of %(pages)s", page=2))
    check_page(page, lang)
    check_accessibility(page)


PAGES = [
    ("trainer@demo.trainer.vn", "/home"),
    ("trainer@demo.trainer.vn", "/sessions"),
    ("manager@demo.trainer.vn", "/coverage"),
    ("manager@demo.trainer.vn", "/staff"),
    ("admin@demo.trainer.vn", "/home"),
    (None, "/login"),
]


@pytest.mark.parametrize("identifier, path", PAGES)
def test_first_load_is_light_and_local(live_app, open_page, identifier, path):
    """Every byte of a first visit (HTML, CSS, JS, images, fonts) stays under 150 kB."""
    page = open_page(TABLET)
    if identifier:
        sign_in(page, identifier)
    fresh = page.context.browser.new_context(
        viewport=TABLET, storage_state=page.context.storage_state()
    )
    sizes, hosts = [], set()

    def record(response):
        hosts.add(response.url.split("/")[2])
        try:
            sizes.append(len(response.body()))
        except Exception:  # redirects have no body
            sizes.append(0)

    other = fresh.new_page()
    other.on("response", record)
    other.goto(live_app.config["LIVE_URL"] + path)
    other.wait_for_load_state("networkidle")
    fresh.close()
    assert hosts == {live_app.config["LIVE_URL"].split("/")[2]}  # nothing from another host
    assert 0 < sum(sizes) < 150_000, f"{path}: {sum(sizes)} bytes"
