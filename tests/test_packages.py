"""Packages say what they hold: their imports, read with ``ast`` (issue 13, item 8)."""

import ast
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "trainer"


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(path):
    return path.name == "__init__.py"


MODULES = {
    module_name(path): path
    for path in sorted(PACKAGE.rglob("*.py"))
    if "migrations" not in path.relative_to(PACKAGE).parts
}


def imports_of(name):
    """Every ``(module, imported names)`` that module ``name`` imports, at the top or inside a
    function, relative imports resolved; ``from pkg import mod`` counts as importing pkg.mod."""
    path = MODULES[name]
    package = name.split(".") if is_package(path) else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            names = tuple(alias.name for alias in node.names)
            found.append((target, names))
            found += [(f"{target}.{n}", ()) for n in names if f"{target}.{n}" in MODULES]
    return found


def importers_of(predicate):
    """``[(importer, imported module, names)]`` for the imported modules matching
    ``predicate``."""
    return [
        (name, target, names)
        for name in MODULES
        for target, names in imports_of(name)
        if predicate(target)
    ]


def within(package):
    return lambda target: target == package or target.startswith(package + ".")


def is_views(module):
    last = module.rsplit(".", 1)[-1]
    return module in MODULES and (last == "views" or last.endswith("_views"))


def test_the_import_reader_sees_relative_and_nested_imports():
    found = imports_of("trainer")
    assert ("trainer.http_policy", ()) in found  # ``from . import http_policy``
    assert any(target == "trainer.training.blueprint" for target, _ in found)  # in a function


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("trainer.training", "trainer.certificates"),
        ("trainer.certificates", "trainer.training"),
        ("trainer.curriculum", "trainer.training"),
        ("trainer.curriculum", "trainer.certificates"),
    ],
)
def test_training_and_certificates_do_not_import_each_other(package, forbidden):
    """Both read the curriculum (modules, levels, results, eligibility), which reads neither."""
    wrong = [
        (importer, target)
        for importer, target, _ in importers_of(within(forbidden))
        if within(package)(importer)
    ]
    assert wrong == []


def test_views_modules_are_not_imported_as_libraries():
    """Only the feature's blueprint.py loads its view modules (for their routes), and
    create_app takes the blueprint of a feature with a single views module; shared helpers
    live in plain modules."""
    wrong = []
    for importer, target, names in importers_of(is_views):
        package = target.rsplit(".", 1)[0]
        if importer == f"{package}.blueprint":
            continue
        if importer == "trainer" and set(names) <= {"bp"}:
            continue
        wrong.append((importer, target, names))
    assert wrong == []


def test_a_feature_with_several_views_modules_has_a_blueprint_module():
    packages = {}
    for name in MODULES:
        if is_views(name):
            packages.setdefault(name.rsplit(".", 1)[0], []).append(name)
    for package, views in packages.items():
        if len(views) > 1:
            assert f"{package}.blueprint" in MODULES, package
            source = MODULES[f"{package}.blueprint"].read_text(encoding="utf-8")
            assert "Blueprint(" in source
            for view in views:
                assert "Blueprint(" not in MODULES[view].read_text(encoding="utf-8"), view


def test_no_module_is_named_for_where_it_sits_rather_than_what_it_holds():
    vague = {"web", "edge", "holding", "bulk", "misc", "utils", "helpers"}
    assert [name for name in MODULES if name.rsplit(".", 1)[-1] in vague] == []
    # the demo data lives in its own package
    assert not {"trainer.seed", "trainer.seed_activity", "trainer.bulk"} & set(MODULES)
    assert {"trainer.demo.seed", "trainer.demo.activity", "trainer.curriculum.eligibility"} <= set(
        MODULES
    )


def test_no_listener_is_registered_by_importing_a_module():
    """``@event.listens_for`` at import time registers again in every process that imports
    the module, in import order; create_app registers them explicitly instead."""
    decorated = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    call = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if isinstance(call, ast.Attribute) and call.attr == "listens_for":
                        decorated.append((name, node.name))
    assert decorated == []


def test_models_module_imports_models_only():
    listeners = {"trainer.coverage.cache", "trainer.org.history", "trainer.org.services"}
    assert not {target for target, _ in imports_of("trainer.models")} & listeners


def third_party_names(tree):
    """Names bound by imports of modules outside the project."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {
                (alias.asname or alias.name).split(".")[0]
                for alias in node.names
                if not alias.name.startswith("trainer")
            }
        elif isinstance(node, ast.ImportFrom) and not node.level:
            if not (node.module or "").startswith("trainer"):
                names |= {alias.asname or alias.name for alias in node.names}
    return names - {"g"}  # Flask's per-request namespace is there to be written


def test_no_third_party_library_is_patched():
    """Nothing assigns to an attribute of an imported library (``weasyprint.X = …``,
    ``HTML._ua_stylesheets = …``): subclasses and public hooks only."""
    patched = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        libraries = third_party_names(tree)
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            for target in targets:
                root = target
                while isinstance(root, ast.Attribute):
                    root = root.value
                if target is not root and isinstance(root, ast.Name) and root.id in libraries:
                    patched.append((name, ast.unparse(target)))
    assert patched == []


def test_the_patch_finder_finds_a_patch():
    tree = ast.parse("import weasyprint\nfrom flask import Flask\nweasyprint.HTML.x = 1\n")
    assert third_party_names(tree) >= {"weasyprint", "Flask"}


def listeners_of(target, identifier):
    return list(getattr(target.dispatch, identifier)._clslevel[target])


def test_listeners_are_registered_once_however_many_apps(app):
    """The tests make an app per test: each listener is still registered exactly once, and in
    the order coverage's data version, then history, then search words, then staff states."""
    from trainer import create_app
    from trainer.coverage import cache, states
    from trainer.extensions import _sqlite_foreign_keys
    from trainer.org import history, services

    create_app(dict(app.config))
    create_app(dict(app.config))
    postexec = listeners_of(Session, "after_flush_postexec")
    assert postexec == [
        cache._bump_after_flush,
        history._record_history,
        services._index_renamed_staff,
    ]
    assert listeners_of(Session, "before_flush") == [
        cache._note_changes,
        services._remember_renamed_staff,
        states._note_writes,
    ]
    assert listeners_of(Session, "after_flush") == [history._note_history]
    assert listeners_of(Session, "do_orm_execute") == [cache._bump_on_bulk, states._note_bulk]
    assert listeners_of(Session, "before_commit") == [states._refresh_before_commit]
    assert event.contains(Engine, "connect", _sqlite_foreign_keys)


@pytest.mark.parametrize(
    ("package", "other"),
    [("trainer.training", "trainer.certificates"), ("trainer.certificates", "trainer.training")],
)
def test_training_and_certificates_do_not_load_each_other_at_import_time(package, other):
    """Not even through a shared module: importing every module of one package (in a fresh
    interpreter, after ``trainer`` itself) loads nothing of the other."""
    import json
    import subprocess
    import sys

    code = (
        "import importlib, json, pkgutil, sys\n"
        "import trainer\n"
        f"package, other = {package!r}, {other!r}\n"
        "wrong = {}\n"
        "for info in pkgutil.iter_modules(importlib.import_module(package).__path__):\n"
        "    before = set(sys.modules)\n"
        "    importlib.import_module(f'{package}.{info.name}')\n"
        "    loaded = sorted(m for m in set(sys.modules) - before if m.startswith(other))\n"
        "    if loaded:\n"
        "        wrong[info.name] = loaded\n"
        "print(json.dumps(wrong))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == {}


def test_the_dead_code_of_issue_13_stays_removed():
    """``attendance_counts`` and ``overlapping`` were unused (issue 13, item 4)."""
    names = {
        node.name
        for path in (PACKAGE / "training").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef)
    }
    assert not {"attendance_counts", "overlapping"} & names
