"""Screenshots of the key pages of a running trainer, the same pages every time (issue 20).

``python tools/screenshots.py --base-url http://127.0.0.1:5301 --out docs/before``
``python tools/screenshots.py --base-url http://127.0.0.1:5302 --out docs/after --prepare``
``python tools/screenshots.py --base-url http://127.0.0.1:5302 --tour docs``

The server is any trainer seeded with ``trainer seed-demo`` (the small demo): the script only
speaks HTTP to it, signed in as the demo accounts, so the same command shoots an old checkout
and a new one alike. Pages are shot in Vietnamese on each viewport asked for (``phone``
390×844, ``tablet`` 1280×800, ``portrait`` 768×1024, ``laptop`` 1366×900), full page up to a
few screens high, then stored as palette PNGs (at most 300 kB each).

``--prepare`` first has the demo trainer mark three people on today's session (one late, two
present), so that the roster and the audit log have something to show; run it once per fresh
database, on both servers being compared. ``--tour`` writes the README's tour images
(``docs/trainer-attendance.png`` …) instead of the eight pages; it checks the demo teacher in
with the session's current code, so run it after the eight pages.
(``docs/certificate.png``, a PDF, is not a page: it is left as it is.)

Needs Playwright (``pip install -e '.[dev]'``) and Debian's Chromium (``/usr/bin/chromium``).
"""

import argparse
import io
import re
import shutil
import sys
from pathlib import Path

PASSWORD = "trainer-demo-2026"
ADMIN = "admin@demo.trainer.vn"
MANAGER = "manager@demo.trainer.vn"
TRAINER = "trainer@demo.trainer.vn"
TEACHER = "DB000117"  # the demo teacher has no email address: staff code

VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 1280, "height": 800},  # the browser suite's 10-inch tablet, landscape
    "portrait": {"width": 768, "height": 1024},  # a tablet held upright (the review's tablet)
    "laptop": {"width": 1366, "height": 900},
}
#: Full-page shots stop at this many viewport heights (a long list's first screens say enough).
MAX_SCREENS = 3
MAX_BYTES = 300_000

#: (name, who, path or None when found at run time, caption): the eight key pages.
PAGES = [
    ("teacher-home", TEACHER, "/home", "Trang chủ của giáo viên"),
    ("teacher-sessions", TEACHER, "/sessions", "Buổi học của giáo viên"),
    ("checkin", TEACHER, "/checkin", "Điểm danh (nhập mã)"),
    ("trainer-session", TRAINER, None, "Buổi học của giảng viên (danh sách, điểm danh)"),
    ("sessions", TRAINER, "/sessions", "Danh sách buổi học (giảng viên)"),
    ("coverage", MANAGER, "/coverage", "Tỷ lệ đạt chuẩn (lãnh đạo)"),
    ("staff", ADMIN, "/staff", "Danh sách cán bộ (quản trị)"),
    ("audit", ADMIN, "/admin/audit", "Nhật ký (quản trị)"),
]

# Blinking carets, transitions and the clock in the corner of a job page differ from one run
# to the next; they say nothing about the page.
STEADY_CSS = """
*, *::before, *::after { transition: none !important; animation: none !important;
  caret-color: transparent !important; }
"""


def parse_viewports(text):
    """``"phone,laptop"`` → ``[("phone", {...}), ("laptop", {...})]``; unknown names raise."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in VIEWPORTS]
    if unknown or not names:
        known = ", ".join(VIEWPORTS)
        raise argparse.ArgumentTypeError(f"viewports: {', '.join(unknown) or '?'} (known: {known})")
    return [(name, VIEWPORTS[name]) for name in names]


def save_png(data, path, *, min_height=600):
    """Write screenshot bytes as a palette PNG; when it passes ``MAX_BYTES``, fewer colours,
    then the page's top part only (never below ``min_height``). Return its size in bytes."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")

    def encoded(colours):
        buffer = io.BytesIO()
        image.quantize(colours, method=Image.Quantize.MEDIANCUT, dither=0).save(
            buffer, "PNG", optimize=True
        )
        return buffer.getvalue()

    for colours in (256, 128, 64):
        png = encoded(colours)
        if len(png) <= MAX_BYTES:
            break
    while len(png) > MAX_BYTES and image.height * 3 // 4 >= min_height:
        image = image.crop((0, 0, image.width, image.height * 3 // 4))
        png = encoded(64)
    if len(png) > MAX_BYTES:
        print(f"  warning: {path} is {len(png) // 1000} kB", file=sys.stderr)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)
    return len(png)


class Shooter:
    """A Chromium with one signed-in browser context per (account, viewport)."""

    def __init__(self, playwright, base_url, chromium):
        self.base_url = base_url.rstrip("/")
        self.browser = playwright.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        self.contexts = {}

    def page(self, who, viewport):
        """A page signed in as ``who`` (or anonymous when None) on ``viewport``, in Vietnamese."""
        key = (who, viewport["width"], viewport["height"])
        if key not in self.contexts:
            context = self.browser.new_context(
                viewport=viewport,
                base_url=self.base_url,
                locale="vi-VN",
                timezone_id="Asia/Ho_Chi_Minh",
                device_scale_factor=1,
                bypass_csp=True,  # only for the steadying style added below
                is_mobile=viewport["width"] < 600,
                has_touch=viewport["width"] < 1200,
            )
            page = context.new_page()
            page.goto("/login?lang=vi")
            if who:
                page.fill("#identifier", who)
                page.fill("#password", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state()
                if "/login" in page.url or "/account/password" in page.url:
                    raise SystemExit(f"could not sign in as {who} on {self.base_url}")
            self.contexts[key] = page
        return self.contexts[key]

    def open(self, page, path):
        """Go to ``path`` and wait until the page is still (fonts, charts, scripts)."""
        response = page.goto(path)
        if response is None or response.status >= 400:
            status = response.status if response else "no answer"
            print(f"  warning: {path} answered {status}", file=sys.stderr)
        page.wait_for_load_state("networkidle")
        page.add_style_tag(content=STEADY_CSS)
        page.evaluate("document.fonts.ready")

    def shoot(self, page, path, *, full_page=True):
        """Screenshot the page (full page up to ``MAX_SCREENS`` screens) into ``path``."""
        viewport = page.viewport_size
        height = page.evaluate("document.documentElement.scrollHeight")
        options = {"animations": "disabled", "caret": "hide"}
        if full_page and height > viewport["height"]:
            clip_height = min(height, viewport["height"] * MAX_SCREENS)
            options.update(
                full_page=True,
                clip={"x": 0, "y": 0, "width": viewport["width"], "height": clip_height},
            )
        size = save_png(page.screenshot(**options), path)
        print(f"  {path} ({size // 1000} kB)")

    def close(self):
        self.browser.close()


def todays_session(page):
    """The path of the demo trainer's session running today: the first session on their
    home page (the demo day puts it first), else the first of their session list."""
    for path in ("/home", "/sessions"):
        page.goto(path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.pathname)"):
            if re.fullmatch(r"/sessions/\d+", href):
                return href
    raise SystemExit("no session found on the demo trainer's pages")


def prepare(shooter):
    """Mark three people on today's session as the trainer would (one late, two present)."""
    page = shooter.page(TRAINER, VIEWPORTS["laptop"])
    shooter.open(page, todays_session(page))
    people = page.locator(".person")
    if people.count() < 3:
        print("  warning: fewer than three people on today's roster", file=sys.stderr)
    for index, button in ((0, "button.mark-late"), (1, "button.mark-present")):
        target = people.nth(index).locator(button)
        if target.count() == 0:
            print(f"  warning: no {button} on the roster: not marked", file=sys.stderr)
            continue
        target.first.click()
        page.wait_for_load_state("networkidle")
    target = people.nth(2).locator("button.mark-present")
    if target.count():
        target.first.click()
        page.wait_for_load_state("networkidle")
    print("  prepared: today's session has marks")


def shoot_pages(shooter, out, viewports):
    """The eight key pages on every viewport: ``<out>/<page>-<viewport>.png``."""
    session = None
    for name, who, path, _caption in PAGES:
        for viewport_name, viewport in viewports:
            page = shooter.page(who, viewport)
            if path is None:
                session = session or todays_session(page)
            shooter.open(page, path or session)
            shooter.shoot(page, out / f"{name}-{viewport_name}.png")


def check_in_teacher(shooter, session_path):
    """Check the demo teacher in with the code the trainer's screen shows; return their page."""
    trainer = shooter.page(TRAINER, VIEWPORTS["laptop"])
    shooter.open(trainer, session_path + "/checkin-code")
    code = re.search(r"\b(\d{3})\s?(\d{3})\b", trainer.locator("main").inner_text())
    teacher = shooter.page(TEACHER, VIEWPORTS["phone"])
    shooter.open(teacher, "/checkin")
    if code is None:
        print("  warning: no check-in code on the trainer's screen", file=sys.stderr)
        return teacher
    teacher.locator("input[name=code]").fill(code.group(1) + code.group(2))
    teacher.locator("main button[type=submit]").first.click()
    teacher.wait_for_load_state("networkidle")
    teacher.add_style_tag(content=STEADY_CSS)
    return teacher


ANALYSIS = "/coverage/analysis?by=school_level&by2=ethnic_minority&as_of=2026-10-31&compare=date"


def shoot_tour(shooter, out):
    """The README tour's images, at the paths the README shows."""
    tablet, laptop = VIEWPORTS["tablet"], VIEWPORTS["laptop"]
    trainer = shooter.page(TRAINER, tablet)
    session = todays_session(trainer)
    shooter.open(trainer, session)
    shooter.shoot(trainer, out / "trainer-attendance.png")
    teacher = check_in_teacher(shooter, session)
    shooter.shoot(teacher, out / "teacher-checkin.png", full_page=False)
    shooter.open(teacher, f"/staff/{TEACHER}")
    shooter.shoot(teacher, out / "teacher-progress.png")
    head = shooter.page(MANAGER, laptop)
    shooter.open(head, "/coverage")
    shooter.shoot(head, out / "head-dashboard.png")
    head = shooter.page(MANAGER, tablet)
    shooter.open(head, ANALYSIS)
    shooter.shoot(head, out / "head-analysis.png")


def write_table(path, before, after, viewports):
    """``docs/before-after.md``: one row per key page, before and after on each viewport."""
    lines = [
        "# Before and after: eight key pages (issue 20)",
        "",
        f"Before: `{before.name}/`, after: `{after.name}/`. Shot with `tools/screenshots.py` on"
        " the small demo (`trainer seed-demo`), in Vietnamese, signed in as the demo accounts.",
        "",
    ]
    for viewport_name, viewport in viewports:
        lines += [
            f"## {viewport_name.capitalize()} ({viewport['width']}×{viewport['height']})",
            "",
            "| page | before | after |",
            "|---|---|---|",
        ]
        for name, _who, _path, caption in PAGES:
            file = f"{name}-{viewport_name}.png"
            cells = [
                f"![{caption}, {label}]({folder.relative_to(path.parent).as_posix()}/{file})"
                for label, folder in (("before", before), ("after", after))
            ]
            lines.append(f"| {caption} | {cells[0]} | {cells[1]} |")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"  {path}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:5000")
    parser.add_argument("--out", type=Path, default=Path("docs/after"))
    parser.add_argument(
        "--viewports", type=parse_viewports, default=parse_viewports("phone,laptop")
    )
    parser.add_argument("--prepare", action="store_true", help="mark attendance first")
    parser.add_argument("--tour", type=Path, help="write the README tour's images here instead")
    parser.add_argument(
        "--table",
        nargs=3,
        type=Path,
        metavar=("MARKDOWN", "BEFORE", "AFTER"),
        help="only write the before/after table of two folders of shots",
    )
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    if args.table:
        write_table(*args.table, args.viewports)
        return

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        shooter = Shooter(playwright, args.base_url, args.chromium)
        try:
            if args.prepare:
                prepare(shooter)
            if args.tour:
                shoot_tour(shooter, args.tour)
            else:
                shoot_pages(shooter, args.out, args.viewports)
        finally:
            shooter.close()


if __name__ == "__main__":
    main()
