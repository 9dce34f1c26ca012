"""The ``trainer`` command: Flask's CLI with the app loaded, plus the project's own commands."""

import os

import click
from flask import current_app
from flask.cli import FlaskGroup, run_command, with_appcontext

from .accounts.models import ROLES, Role
from .accounts.scope import Capability, role_can
from .errors import DomainError
from .extensions import db
from .timeutil import local_today


def main():
    """Entry point of the ``trainer`` console script."""
    from . import create_app

    cli = FlaskGroup(create_app=lambda: create_app(), help="trainer: the digital-skills programme.")
    cli.add_command(keys_cli)  # on the group itself: it runs before any SIGNING_KEY exists
    cli.add_command(served_run_command())
    cli.main(prog_name="trainer")


def served_run_command():
    """Flask's ``run`` that first tells the app the host and port it serves, so that a
    development PUBLIC_BASE_URL (links, QR codes) names them (``trainer run --port 5101``)."""

    def callback(**options):
        # the app is made after this (and again in the reloader's child, which inherits it)
        os.environ["FLASK_RUN_HOST"] = options["host"]
        os.environ["FLASK_RUN_PORT"] = str(options["port"])
        return click.get_current_context().invoke(run_command.callback, **options)

    return click.Command(
        "run",
        callback=callback,
        params=run_command.params,
        help=run_command.help,
        short_help=run_command.short_help,
    )


#: Roles that bulk accounts may get: those with a staff record of their own.
ACCOUNT_ROLES = [str(r) for r in ROLES if role_can(r, Capability.OWN_RECORD)]


def fail(message):
    """Print ``message`` to stderr and exit with status 1."""
    click.echo(message, err=True)
    raise SystemExit(1)


def describe(exc):
    """A one-line English description of a domain error for the terminal."""
    details = ", ".join(f"{key}={value}" for key, value in exc.details.items())
    return f"error: {exc.code}" + (f" ({details})" if details else "")


@click.group("users", help="Create users and API tokens.")
def users_cli():
    pass


@users_cli.command("create")
@click.option("--email", default=None, help="Email address (optional when --staff is given).")
@click.option("--password", required=True)
@click.option("--role", required=True, help="admin, manager, trainer or teacher.")
@click.option("--org", "org_code", default=None, help="Unit code of the scope.")
@click.option("--staff", "staff_code", default=None, help="Staff code of the user's staff record.")
@with_appcontext
def users_create(email, password, role, org_code, staff_code):
    """Create a user."""
    from .accounts.services import create_user

    try:
        user = create_user(
            email=email, password=password, role=role, org_code=org_code, staff_code=staff_code
        )
    except DomainError as exc:
        db.session.rollback()
        fail(describe(exc))
    db.session.commit()
    click.echo(f"created user {user.id} ({user.role}) {user.email or staff_code}")


@users_cli.command("token")
@click.argument("identifier")
@click.option("--name", default="cli", help="A label to recognise the token by.")
@with_appcontext
def users_token(identifier, name):
    """Print a new API token for the user with this email (or staff code)."""
    from .accounts.services import find_user, issue_token

    user = find_user(identifier)
    if user is None:
        fail(f"error: no user {identifier}")
    token = issue_token(user, name)
    db.session.commit()
    click.echo(token)


@users_cli.command("create-bulk")
@click.option("--org", "org_code", required=True, help="Unit whose subtree gets accounts.")
@click.option("--role", type=click.Choice(ACCOUNT_ROLES), default=str(Role.TEACHER))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for the PDFs (default: instance/accounts/CODE-DATE).",
)
@with_appcontext
def users_create_bulk(org_code, role, out_dir):
    """Accounts with one-time passwords for every active staff member without one; one PDF per
    school with the passwords."""
    from pathlib import Path

    from flask_babel import force_locale
    from sqlalchemy import select

    from .accounts.pdf import sheets_by_unit
    from .accounts.services import create_accounts_for_unit, staff_without_account
    from .org.models import OrgUnit

    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == org_code))
    if unit is None:
        fail(f"error: unknown org code {org_code}")
    total = len(staff_without_account(unit))
    with click.progressbar(length=total, label="creating accounts") as bar:
        created = create_accounts_for_unit(unit, role=role, progress=bar.update)
    out = Path(
        out_dir
        or Path(current_app.instance_path) / "accounts" / f"{org_code}-{local_today().isoformat()}"
    )
    out.mkdir(parents=True, exist_ok=True)
    sign_in = current_app.config["PUBLIC_BASE_URL"] + "/login"
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        sheets = sheets_by_unit(created, sign_in)
    for school, pdf in sheets:
        (out / f"{school.code}.pdf").write_bytes(pdf)
    db.session.commit()
    click.echo(f"created {len(created)} accounts; {len(sheets)} PDF(s) in {out}")


@click.group("certificates", help="Issue certificates.")
def certificates_cli():
    pass


def job_options(command):
    """``--job`` and ``--wait/--no-wait``: run the work as a job on the queue."""
    command = click.option(
        "--wait/--no-wait",
        default=None,
        help="With --job: follow the job to its end, a progress line every second (the "
        "default), or only queue it and print its number. --no-wait implies --job.",
    )(command)
    return click.option(
        "--job",
        "as_job",
        is_flag=True,
        help="Run it as a job on the queue (a worker does the work; it shows under My jobs).",
    )(command)


@certificates_cli.command("issue-bulk")
@click.option("--org", "org_code", required=True, help="Unit whose subtree is issued.")
@click.option("--level", "level_code", required=True, help="Level code, e.g. basic.")
@job_options
@with_appcontext
def certificates_issue_bulk(org_code, level_code, as_job, wait):
    """Issue LEVEL to every eligible staff member of ORG's subtree, then render the PDFs."""
    from sqlalchemy import select

    from .certificates.request_helpers import level_or_none, render_stored, settings
    from .certificates.services import issue_bulk
    from .org.models import OrgUnit

    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == org_code))
    level = level_or_none(level_code)
    if unit is None or level is None:
        fail(f"error: unknown {'org code ' + org_code if unit is None else 'level ' + level_code}")
    if as_job or wait is False:
        from .jobs.cli import ended_badly, start_and_follow

        params = {"org": unit.code, "level": level.code}
        job = start_and_follow("certificates.issue_bulk", params, wait=wait is not False)
        if job.final:
            ended_badly(job)
            numbers = job.result["numbers"]
            click.echo(
                f"issued {len(numbers)} certificates"
                + (f": {numbers[0]} … {numbers[-1]}" if numbers else "")
            )
        return
    certs = issue_bulk(unit, level, settings=settings())
    db.session.commit()
    with click.progressbar(length=len(certs), label="rendering certificates") as bar:
        render_stored(certs, progress=bar.update)
    if certs:
        click.echo(f"issued {len(certs)} certificates: {certs[0].number} … {certs[-1].number}")
    else:
        click.echo("nobody eligible without this certificate")


@click.command("seed-demo")
@click.option(
    "--scale", type=click.Choice(["small", "province", "large", "national"]), default="small"
)
@click.option("--seed", "random_seed", type=int, default=2026, help="Random seed.")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) if the database has data.")
@click.option(
    "--before-reform",
    is_flag=True,
    help="Stop before the 2025 reform (load trainer/demo/data/dien_bien_reform_2025.csv yourself).",
)
@with_appcontext
def seed_demo(scale, random_seed, if_empty, before_reform):
    """Build a demo province rooted at DB with Vietnamese names and demo accounts."""
    from .demo.seed import DEMO_PASSWORD, database_is_empty, demo_sign_ins, seed_demo_data

    if if_empty and not database_is_empty():
        click.echo("the database already has data: not seeding the demo")
    else:
        try:
            from .certificates.request_helpers import settings

            summary = seed_demo_data(
                scale, random_seed=random_seed, settings=settings(), before_reform=before_reform
            )
        except DomainError as exc:
            db.session.rollback()
            fail(describe(exc) + " (seed-demo needs an empty database)")
        db.session.commit()
        click.echo(
            f"seeded {summary['units']:,} units, {summary['staff']:,} staff, "
            f"{summary['sessions']:,} sessions with {summary['enrollments']:,} enrolments, "
            f"{summary['certificates']:,} certificates "
            f"in {summary['seconds']:.1f} s"
        )
        if summary["reform"]:
            click.echo("the 2025 reform applied: districts closed on 30/06/2025")
        elif summary["reform"] is not None:
            click.echo("before the 2025 reform: load trainer/demo/data/dien_bien_reform_2025.csv")
    click.echo(f"demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for role, login in demo_sign_ins():
        click.echo(f"  {role:8} {login}")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup(path):
    """Write a consistent copy of the database to PATH while the app keeps running."""
    from .backup import backup_database

    try:
        config = current_app.config
        kind = backup_database(
            config["SQLALCHEMY_DATABASE_URI"], path, config.get("SQLITE_LIBRARY")
        )
    except RuntimeError as exc:
        fail(f"error: {exc}")
    click.echo(f"backup written to {path} ({kind})")


@click.command("import")
@click.argument(
    "kind", type=click.Choice(["orgunits", "staff", "certificates", "targets", "reorganisation"])
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check the file and report, write nothing.")
@click.option(
    "--lang",
    type=click.Choice(["vi", "en"]),
    default=None,
    help="Language of the report (default: the app's default, Vietnamese).",
)
@click.option(
    "--mapping",
    "mapping_name",
    default=None,
    help='A column mapping saved in the browser, e.g. "CSDL ngành".',
)
@job_options
@with_appcontext
def import_file(kind, path, dry_run, lang, mapping_name, as_job, wait):
    """Import a CSV (UTF-8) or XLSX file: all rows or, on any bad row, nothing."""
    from pathlib import Path

    from flask_babel import force_locale

    from .imports import importer_for
    from .imports.base import run_import
    from .imports.mappings import mapping_named
    from .imports.report import format_report

    columns = None
    if mapping_name is not None:
        mapping = mapping_named(mapping_name)
        if mapping is None or mapping.kind != kind:
            fail(f"error: no saved mapping {mapping_name!r} for {kind}")
        columns = mapping.columns
    data = Path(path).read_bytes()
    if as_job or wait is False:
        if kind == "reorganisation":
            fail("error: a reorganisation is imported here, not as a job (leave out --job)")
        import_as_job(kind, Path(path).name, data, columns, dry_run, lang, wait is not False)
        return
    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]):
        report = run_import(
            importer_for(kind), Path(path).name, data, dry_run=dry_run, mapping=columns
        )
        if not report.ok:
            db.session.rollback()
            click.echo(format_report(report), err=True)
            raise SystemExit(1)
        db.session.commit()
        click.echo(format_report(report))
        if kind == "reorganisation":
            click.echo(format_preview(report.plan.preview))


def import_as_job(kind, filename, data, columns, dry_run, lang, wait):
    """The import (or with ``dry_run`` its check) as a job that a worker runs, followed
    here; the report as the command prints it, exit status 1 when nothing was written."""
    from flask_babel import force_locale

    from .imports.report import format_report, report_from_dict
    from .imports.uploads import keep_upload, upload_path
    from .jobs.cli import ended_badly, start_and_follow

    token = keep_upload(current_app.instance_path, data)
    params = {"import_kind": kind, "token": token, "filename": filename, "columns": columns}
    kind_of_job = "imports.check" if dry_run else "imports.write"
    job = start_and_follow(kind_of_job, params, wait=wait, locale=lang)
    if not job.final:
        return
    if dry_run:  # nobody confirms a check from the terminal: the file need not wait
        upload_path(current_app.instance_path, token).unlink(missing_ok=True)
    ended_badly(job)
    report = report_from_dict(job.result["report"])
    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]):
        if not report.ok:
            click.echo(format_report(report), err=True)
            raise SystemExit(1)
        click.echo(format_report(report))


def format_preview(preview):
    """The reorganisation's preview as lines for the terminal."""
    lines = [
        f"→ {r['code']} ({r['name']}): {', '.join(r['units'])}; {r['staff']} active staff"
        for r in preview["receiving"]
    ]
    lines += [
        f"✕ {c['code']} ({c['name']}) last day {c['last_day']}, successor {c['successor']}"
        for c in preview["closing"]
    ]
    return "\n".join(lines)


@click.group("keys", help="The province's Ed25519 signing key.")
def keys_cli():
    pass


@keys_cli.command("generate")
@click.option(
    "--write",
    "path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the private key to this file (mode 600) instead of printing it.",
)
def keys_generate(path):
    """Make a new Ed25519 key pair for SIGNING_KEY and print it (needs no app or database)."""
    from pathlib import Path

    from .certificates.signing import generate_key_pair, key_id, load_public_key

    private_pem, public_pem, public_raw = generate_key_pair()
    if path:
        target = Path(path)
        if target.exists():
            fail(f"error: {target} exists; a signing key is never overwritten")
        target.touch(mode=0o600, exist_ok=False)
        target.write_text(private_pem)
        click.echo(f"private key written to {target}: set SIGNING_KEY to its content")
    else:
        click.echo("# SIGNING_KEY (private: keep it secret, the same on every server)")
        click.echo(private_pem, nl=False)
    click.echo(
        f"# public key (kid {key_id(load_public_key(public_raw))}), "
        "published at /api/v1/verify/keys"
    )
    click.echo(public_pem, nl=False)
    click.echo(
        f"# the same public key as base64 (for SIGNING_KEYS_RETIRED after a change)\n{public_raw}"
    )


def register_commands(app):
    """Attach the project's commands to ``app.cli``."""
    from .jobs.cli import jobs_cli

    app.cli.add_command(keys_cli)
    app.cli.add_command(import_file)
    app.cli.add_command(users_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(backup)
    app.cli.add_command(jobs_cli)
