"""The audit log in sentences: each stored action kind read out in the user's language, with
links to the person, the session, the unit or the certificate (the stored rows stay as they are)."""

from datetime import datetime

from flask import url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import String, cast, or_, select

from ..accounts.models import User
from ..audit import AuditEntry
from ..certificates.models import Certificate
from ..extensions import db
from ..i18n import ROLE_LABELS
from ..labels import ATTENDANCE
from ..org.models import OrgUnit, Staff
from ..training.labels import SYNC_REASONS
from ..training.models import TrainingSession

#: The kinds offered by the page's filter, by family: ``(prefix, label, [(action, label)])``.
FAMILIES = [
    (
        "session",
        _l("Sessions"),
        [
            ("session.create", _l("Session scheduled")),
            ("session.update", _l("Session changed")),
            ("session.cancel", _l("Session cancelled")),
            ("session.enroll", _l("People enrolled")),
            ("session.unenroll", _l("Person unenrolled")),
        ],
    ),
    ("attendance", _l("Attendance"), [("attendance.mark", _l("Attendance marked"))]),
    ("result", _l("Results"), [("result.record", _l("Result recorded"))]),
    (
        "sync",
        _l("Sent from a tablet"),
        [
            ("sync.attendance", _l("Attendance sent from a tablet")),
            ("sync.result", _l("Result sent from a tablet")),
        ],
    ),
    (
        "certificate",
        _l("Certificates"),
        [
            ("certificate.issue", _l("Certificate issued")),
            ("certificate.issue_bulk", _l("Certificates issued in bulk")),
            ("certificate.revoke", _l("Certificate revoked")),
            ("certificate.reissue", _l("Certificate re-issued")),
        ],
    ),
    (
        "user",
        _l("Accounts"),
        [
            ("user.create", _l("Account created")),
            ("user.create_bulk", _l("Accounts created for a unit")),
            ("user.password_reset", _l("Password reset")),
            ("user.password_change", _l("Password changed")),
            ("user.disable", _l("Account disabled")),
            ("user.enable", _l("Account enabled")),
        ],
    ),
    ("import", _l("Imports"), []),
    ("target", _l("Targets"), [("target.set", _l("Target set"))]),
]
KIND_LABELS = {action: label for _prefix, _family, kinds in FAMILIES for action, label in kinds}


#: What an import's entry counts, in the reader's language (its details' keys).
IMPORT_COUNTS = {
    "rows": _l("rows"),
    "created": _l("created"),
    "updated": _l("updated"),
    "unchanged": _l("unchanged"),
}
#: The kinds of import, as the imports page names them.
IMPORT_KINDS = {
    "staff": _l("staff"),
    "orgunits": _l("units"),
    "certificates": _l("certificates"),
    "reorganisation": _l("reorganisation"),
}


def link(text, url):
    return Markup('<a href="{}">{}</a>').format(url, text)


class Context:
    """The objects the entries of one page name, each loaded once for the page."""

    def __init__(self, entries):
        codes, session_ids, numbers, units = set(), set(), set(), set()
        for entry in entries:
            details = entry.details or {}
            staff = details.get("staff")
            codes.update(staff if isinstance(staff, list) else [staff] if staff else [])
            if entry.object_type == "TrainingSession" and entry.object_id:
                session_ids.add(entry.object_id)
            if isinstance(details.get("session"), int):
                session_ids.add(str(details["session"]))
            numbers.update(
                str(details[k]) for k in ("number", "old", "new", "first") if details.get(k)
            )
            if details.get("org"):
                units.add(details["org"])
        ids = [int(i) for i in session_ids if str(i).isdigit()]
        self.staff = self._load(Staff, Staff.staff_code, codes, "staff_code")
        self.sessions = {str(s.id): s for s in self._all(TrainingSession, TrainingSession.id, ids)}
        self.certificates = self._load(Certificate, Certificate.number, numbers, "number")
        self.units = self._load(OrgUnit, OrgUnit.code, units, "code")

    @staticmethod
    def _all(model, column, values):
        if not values:
            return []
        return db.session.scalars(select(model).where(column.in_(list(values)))).all()

    def _load(self, model, column, values, attribute):
        return {getattr(obj, attribute): obj for obj in self._all(model, column, values)}

    def person(self, code):
        staff = self.staff.get(code)
        if staff is None:
            return escape(code)
        return link(staff.full_name, url_for("directory.staff_profile", code=code))

    def people(self, codes):
        codes = codes if isinstance(codes, list) else [codes] if codes else []
        shown = Markup(", ").join(self.person(code) for code in codes[:5])
        if len(codes) > 5:
            shown += Markup(" …")
        return shown

    def session(self, session_id):
        found = self.sessions.get(str(session_id))
        if found is None:
            return escape(f"#{session_id}")
        return link(
            f"“{found.title}” (#{found.id})", url_for("training.detail", session_id=found.id)
        )

    def certificate(self, number):
        cert = self.certificates.get(str(number))
        if cert is None:
            return escape(number)
        return link(number, url_for("certificates.detail", number=number))

    def unit(self, code):
        unit = self.units.get(code)
        if unit is None:
            return escape(code or "")
        return link(unit.name, url_for("directory.org_unit", code=code))


def actor(entry):
    """Who did it: a link to their staff record when they have one."""
    user = entry.user
    if user is None:
        return _("The system")
    if user.staff is not None:
        return link(
            user.staff.full_name, url_for("directory.staff_profile", code=user.staff.staff_code)
        )
    return escape(user.display_name)


def sentence(entry, ctx):
    """The entry as one sentence in the user's language (a readable fallback for other kinds)."""
    d = entry.details or {}
    who = actor(entry)
    obj = entry.object_id
    kinds = {
        "session.create": lambda: say(
            _("%(who)s scheduled the session %(session)s."), session=ctx.session(obj), who=who
        ),
        "session.update": lambda: say(
            _("%(who)s changed the session %(session)s."), session=ctx.session(obj), who=who
        ),
        "session.cancel": lambda: say(
            _("%(who)s cancelled the session %(session)s."), session=ctx.session(obj), who=who
        ),
        "session.enroll": lambda: say(
            _("%(who)s enrolled %(count)s people in the session %(session)s: %(people)s."),
            who=who,
            count=len(d.get("staff") or []),
            session=ctx.session(obj),
            people=ctx.people(d.get("staff")),
        ),
        "session.unenroll": lambda: say(
            _("%(who)s took %(person)s off the session %(session)s."),
            who=who,
            person=ctx.person(d.get("staff")),
            session=ctx.session(obj),
        ),
        # the roll's change made by applying a tablet's mark: the mark itself is the
        # sync.attendance entry beside it (both kept: one is the submission, one the change)
        "attendance.mark": lambda: say(
            _(
                "The roll of the session %(session)s changed for %(person)s from %(old)s to "
                "%(status)s, applying the mark %(who)s sent from a tablet (its own entry)."
            )
            if d.get("device_id")
            else _(
                "%(who)s marked %(person)s %(status)s in the session %(session)s (was: %(old)s)."
            ),
            who=who,
            person=ctx.person(d.get("staff")),
            status=attendance_label(d.get("new")),
            old=attendance_label(d.get("old")),
            session=ctx.session(d.get("session")),
        ),
        # a mark or result made on a tablet (offline), with when it was made on the device and
        # when it reached the server, and what became of it (issue 18)
        "sync.attendance": lambda: say(
            _(
                "%(who)s marked %(person)s %(status)s in the session %(session)s on a tablet at "
                "%(device_at)s; it reached the server at %(received_at)s: %(outcome)s."
            ),
            who=who,
            person=ctx.person(d.get("staff")),
            status=attendance_label(d.get("status")),
            session=ctx.session(d.get("session")),
            device_at=moment(d.get("device_at")),
            received_at=moment(d.get("received_at")),
            outcome=sync_outcome(d),
        ),
        "sync.result": lambda: say(
            _(
                "%(who)s recorded %(score)s for %(person)s in the session %(session)s on a "
                "tablet at %(device_at)s; it reached the server at %(received_at)s: %(outcome)s."
            ),
            who=who,
            score=d.get("score"),
            person=ctx.person(d.get("staff")),
            session=ctx.session(d.get("session")),
            device_at=moment(d.get("device_at")),
            received_at=moment(d.get("received_at")),
            outcome=sync_outcome(d),
        ),
        "result.record": lambda: say(
            _("%(who)s recorded %(score)s for %(person)s in module %(module)s."),
            who=who,
            score=d.get("score"),
            person=ctx.person(d.get("staff")),
            module=d.get("module"),
        ),
        "certificate.issue": lambda: say(
            _("%(who)s issued certificate %(number)s (%(level)s) to %(person)s."),
            who=who,
            number=ctx.certificate(d.get("number")),
            level=d.get("level"),
            person=ctx.person(d.get("staff")),
        ),
        "certificate.issue_bulk": lambda: say(
            _("%(who)s issued %(count)s certificates (%(level)s), from %(first)s."),
            who=who,
            count=d.get("count"),
            level=d.get("level"),
            first=ctx.certificate(d.get("first")),
        ),
        "certificate.revoke": lambda: say(
            _("%(who)s revoked certificate %(number)s: %(reason)s."),
            who=who,
            number=ctx.certificate(d.get("number")),
            reason=d.get("reason"),
        ),
        "certificate.reissue": lambda: say(
            _("%(who)s replaced certificate %(old)s by %(new)s."),
            who=who,
            old=ctx.certificate(d.get("old")),
            new=ctx.certificate(d.get("new")),
        ),
        "user.create": lambda: say(
            _("%(who)s created the account %(account)s (%(role)s)."),
            who=who,
            account=d.get("email") or d.get("staff") or obj,
            role=ROLE_LABELS.get(d.get("role"), d.get("role")),
        ),
        "user.password_reset": lambda: say(
            _("%(who)s reset the password of account #%(id)s."), who=who, id=obj
        ),
        "user.password_change": lambda: say(_("%(who)s changed their password."), who=who),
        "user.disable": lambda: say(_("%(who)s disabled account #%(id)s."), who=who, id=obj),
        "user.enable": lambda: say(_("%(who)s enabled account #%(id)s."), who=who, id=obj),
        "target.set": lambda: say(
            _("%(who)s set the %(year)s target of %(unit)s for %(level)s."),
            who=who,
            year=d.get("year"),
            unit=ctx.unit(d.get("org")),
            level=d.get("level"),
        ),
    }
    if entry.action in kinds:
        return kinds[entry.action]()
    if entry.action == "import.mapping":
        return say(
            _("%(who)s saved the column mapping %(name)s for %(kind)s (%(columns)s columns)."),
            who=who,
            name=obj,
            kind=IMPORT_KINDS.get(d.get("kind"), d.get("kind")),
            columns=d.get("columns"),
        )
    if entry.action.startswith("import.") and set(d) <= set(IMPORT_COUNTS):
        kind = entry.action.split(".", 1)[1]
        return say(
            _("%(who)s imported %(file)s (%(kind)s): %(details)s."),
            who=who,
            file=obj,
            kind=IMPORT_KINDS.get(kind, kind),
            details=Markup(", ").join(
                Markup("{}: {}").format(IMPORT_COUNTS[k], d[k]) for k in IMPORT_COUNTS if k in d
            ),
        )
    if entry.action.startswith("import."):  # an import that recorded other details
        return say(
            _("%(who)s imported %(file)s (%(kind)s): %(details)s."),
            who=who,
            file=obj,
            kind=entry.action.split(".", 1)[1],
            details=detail_list(d),
        )
    return say(
        _("%(who)s: %(action)s on %(object)s%(details)s."),
        who=who,
        action=entry.action,
        object=f"{entry.object_type} {obj or ''}".strip(),
        details=Markup(" (") + detail_list(d) + Markup(")") if d else "",
    )


def moment(text):
    """A time kept in ISO form in the details, shown as the pages show times (local time),
    to the second: two taps on a tablet are often within the same minute."""
    try:
        return format_datetime(datetime.fromisoformat(text), "dd/MM/yyyy HH:mm:ss")
    except (TypeError, ValueError):
        return text or "–"


def sync_outcome(details):
    """What the server did with an item sent from a tablet, in the reader's language."""
    outcome = details.get("outcome")
    if outcome == "applied":
        return _("applied")
    if outcome == "superseded":
        return _("replaced by a later mark")
    reason = details.get("reason")
    return _("refused (%(reason)s)", reason=SYNC_REASONS.get(reason, reason))


def say(message, **values):
    """A translated sentence (trusted) with its values escaped unless already markup."""
    # reviewed: ``message`` comes from our catalogue, never from data; Markup's ``%``
    # escapes every value that is not markup already
    return Markup(message) % values  # nosec B704


def detail_list(details):
    return Markup("; ").join(Markup("{}: {}").format(k, v) for k, v in details.items())


def attendance_label(status):
    if not status:
        return _("not marked")
    return ATTENDANCE.get(status, status)


def sentences(entries):
    """``[(entry, sentence)]`` for a page of entries, their objects loaded once."""
    ctx = Context(entries)
    return [(entry, sentence(entry, ctx)) for entry in entries]


def in_unit(unit):
    """SQL condition: entries by a user of ``unit``'s subtree, or about a session held there."""
    units = select(OrgUnit.id).where(OrgUnit.in_subtree(unit.path))
    sessions = select(cast(TrainingSession.id, String)).where(
        TrainingSession.org_unit_id.in_(units)
    )
    return or_(
        AuditEntry.user_id.in_(select(User.id).where(User.org_unit_id.in_(units))),
        (AuditEntry.object_type == "TrainingSession") & AuditEntry.object_id.in_(sessions),
    )
