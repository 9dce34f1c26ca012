"""trainer: the teachers' digital-skills programme of a provincial Department of Education."""

import gc
from pathlib import Path

from flask import Flask

from . import config as config_module
from . import http_policy
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .jobs import queue as jobs_queue

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None):
    """Build the application: config → extensions → listeners → blueprints → CLI → hooks."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    register_config(app, test_config)
    register_extensions(app)
    register_listeners()
    http_policy.register_url_converters(app)
    http_policy.register_https(app)
    register_blueprints(app)
    register_cli(app)
    register_hooks(app)
    register_warm_up(app)
    return app


def register_config(app, test_config):
    """Defaults, then instance/config.py, then the environment; a test config wins over all."""
    app.config.from_object(config_module.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    config_module.apply_environment(app.config)
    if test_config is not None:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    config_module.finalise(app.config, app.instance_path)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["RATELIMIT_STORAGE_URI"])


def register_extensions(app):
    from .i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True
    )
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    jobs_queue.init_app(app)
    from . import models  # noqa: F401  (every model registered with the metadata)


def register_listeners():
    """The SQLAlchemy event listeners, registered here rather than on import, once per
    process however many apps are made (in this order: coverage's data version first)."""
    from .coverage import cache as coverage_cache
    from .coverage import states as staff_states
    from .extensions import register_listeners as register_sqlite_foreign_keys
    from .org import history as org_history
    from .org import services as org_services

    register_sqlite_foreign_keys()
    coverage_cache.register_listeners()
    org_history.register_listeners()
    org_services.register_listeners()
    staff_states.register_listeners()


def register_blueprints(app):
    from .accounts.blueprint import register as register_accounts
    from .api import bp as api_bp
    from .certificates.blueprint import register as register_certificates
    from .coverage.views import bp as coverage_bp
    from .directory.blueprint import register as register_directory
    from .jobs.views import bp as jobs_bp
    from .main.views import bp as main_bp
    from .training.blueprint import register as register_training

    app.register_blueprint(main_bp)
    register_accounts(app)
    register_directory(app)  # directory, then admin
    register_training(app)
    register_certificates(app)
    app.register_blueprint(coverage_bp)
    app.register_blueprint(jobs_bp)
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)


def register_cli(app):
    from .cli import register_commands

    register_commands(app)


def register_hooks(app):
    from .accounts.scope import register_template_scope
    from .http_policy import (
        register_cache_policy,
        register_errors,
        register_security_headers,
        register_static_fingerprints,
    )
    from .i18n import register_i18n
    from .icons import register_icons
    from .labels import register_labels
    from .transaction import register_transactions

    register_i18n(app)
    register_labels(app)
    register_icons(app)
    register_template_scope(app)
    register_security_headers(app)
    register_cache_policy(app)
    register_static_fingerprints(app)
    register_errors(app)
    register_transactions(app)


def register_warm_up(app):
    """With ``WARM_UP_DOCUMENTS`` (``make run``, gunicorn, the job worker): lay out a small
    document with the certificate's fonts, stylesheet and template now, so that the first
    download after a restart does not pay for them, then freeze the start-up heap (modules,
    templates, fonts) out of the garbage collector's sight: its first full collection
    otherwise landed in the first certificate (3/4 of its time)."""
    if not app.config["WARM_UP_DOCUMENTS"]:
        return
    try:
        from .certificates.pdf import warm_up
    except (ImportError, OSError) as exc:  # no Pango: the first document says so, with advice
        app.logger.warning("documents not warmed up: %s", exc)
        return
    warm_up(app)
    gc.collect()
    gc.freeze()
