"""The scope helper: what each role sees, inside and outside its unit."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from trainer.accounts.scope import Scope, scope_for
from trainer.org.models import OrgUnit

from .. import factories


@pytest.fixture
def people(db, tree):
    return {
        "a1": factories.make_staff(tree["DB-A-S1"], "Nguyễn Tiến Thắng"),
        "a2": factories.make_staff(tree["DB-A-S2"], "Quàng Văn Đức"),
        "b1": factories.make_staff(tree["DB-B-S1"], "Lò Thị Hương"),
    }


def visible_units(db, scope):
    return set(db.session.scalars(scope.units().with_only_columns(OrgUnit.code)))


def visible_staff(db, scope):
    return {s.full_name for s in db.session.scalars(scope.staff())}


def test_admin_sees_everything(db, tree, people):
    scope = Scope(factories.make_user("admin", tree["DB"]))
    assert visible_units(db, scope) == set(tree)
    assert len(visible_staff(db, scope)) == 3
    assert scope.unit_or_404("DB-B-S1").code == "DB-B-S1"
    assert scope.home_unit().code == "DB"


@pytest.mark.parametrize("role", ["manager", "trainer"])
def test_unit_roles_see_their_subtree_only(db, tree, people, role):
    scope = Scope(factories.make_user(role, tree["DB-A"]))
    assert visible_units(db, scope) == {"DB-A", "DB-A-S1", "DB-A-S2"}
    assert "Lò Thị Hương" not in visible_staff(db, scope)
    assert {"Nguyễn Tiến Thắng", "Quàng Văn Đức"} <= visible_staff(db, scope)
    assert scope.unit_or_404("DB-A-S2").code == "DB-A-S2"
    assert scope.staff_or_404(people["a2"].staff_code) == people["a2"]
    for code in ("DB", "DB-B", "DB-B-S1", "NO-SUCH"):
        with pytest.raises(NotFound):
            scope.unit_or_404(code)
    with pytest.raises(NotFound):
        scope.staff_or_404(people["b1"].staff_code)


def test_school_level_manager_does_not_see_sibling_school(db, tree, people):
    scope = Scope(factories.make_user("manager", tree["DB-A-S1"]))
    assert visible_units(db, scope) == {"DB-A-S1"}
    with pytest.raises(NotFound):
        scope.staff_or_404(people["a2"].staff_code)


def test_subtree_prefix_does_not_leak_to_units_with_longer_ids(db, tree):
    # Paths like /1/2/ and /1/20/ share a textual prefix; the range must not mix them.
    parent = tree["DB-A"]
    siblings = [factories.make_unit(f"X{i}", parent=tree["DB"]) for i in range(25)]
    scope = Scope(factories.make_user("manager", parent))
    codes = visible_units(db, scope)
    assert not codes & {s.code for s in siblings}
    all_paths = set(db.session.scalars(select(OrgUnit.path)))
    inside = {p for p in all_paths if p.startswith(parent.path)}
    assert len(codes) == len(inside)


def test_teacher_sees_only_themself(db, tree, people):
    user = factories.make_user("teacher", tree["DB-A-S1"], staff=people["a1"])
    scope = Scope(user)
    assert visible_units(db, scope) == set()
    assert visible_staff(db, scope) == {"Nguyễn Tiến Thắng"}
    assert scope.staff_or_404(people["a1"].staff_code) == people["a1"]
    with pytest.raises(NotFound):
        scope.staff_or_404(people["a2"].staff_code)
    with pytest.raises(NotFound):
        scope.unit_or_404("DB-A-S1")


def test_anonymous_sees_nothing(db, tree, people):
    class Anonymous:
        is_authenticated = False

    scope = scope_for(Anonymous())
    assert visible_units(db, scope) == set()
    assert visible_staff(db, scope) == set()


def test_capabilities_are_named_once_per_role():
    from trainer.accounts.models import Role
    from trainer.accounts.scope import CAPABILITIES, Capability, Scope, role_can

    assert set(CAPABILITIES) == set(Role)
    used = set().union(*CAPABILITIES.values())
    assert used == set(Capability)  # no capability that nobody has
    assert role_can("trainer", "issue_certificates") and not role_can(
        "manager", "issue_certificates"
    )
    assert role_can("manager", Capability.SET_TARGETS)
    assert not role_can("nobody", "view_coverage")
    assert not Scope(None).can("browse_units")
    try:
        Scope(None).can("fly")
    except ValueError:
        pass
    else:
        raise AssertionError("an unknown capability name must not pass silently")


# A role compared or listed: ``user.role == …``, ``role in ("admin", "trainer")``, ``Role.X``.
ROLE_NAME = r"[\"'](?:admin|manager|trainer|teacher)[\"']"
ROLE_CHECK = re.compile(
    r"\.role\s*(?:==|!=|\bnot in\b|\bin\b)"
    rf"|[(\[{{]\s*{ROLE_NAME}\s*,\s*{ROLE_NAME}"
    r"|\bRole\.(?:ADMIN|MANAGER|TRAINER|TEACHER)\b"
)
# where roles may be named: the capability table, the enum, its labels, the demo data and
# the command line's defaults
ROLES_NAMED_IN = {
    "trainer/accounts/scope.py",
    "trainer/accounts/models.py",
    "trainer/i18n.py",
    "trainer/cli.py",
}


def test_no_role_is_checked_outside_the_capability_table():
    """Views, API, services and templates ask ``scope.can(…)``/``current_scope.can('…')``;
    a role tuple written anywhere else drifts from the table (issue 13, item 6)."""
    root = Path(__file__).resolve().parents[2]
    files = [
        p
        for p in (root / "trainer").rglob("*.py")
        if not {"migrations", "demo"} & set(p.relative_to(root).parts)
    ]
    files += list((root / "templates").rglob("*.html"))
    found = []
    for path in sorted(files):
        name = path.relative_to(root).as_posix()
        if name in ROLES_NAMED_IN:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ROLE_CHECK.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == []
