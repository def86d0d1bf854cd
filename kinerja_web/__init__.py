"""Kinerja: the performance-management intranet of a regency personnel agency (BKPSDM)."""

from __future__ import annotations

import logging
import os

from flask import Flask, g, request
from flask_login import current_user

from . import config, extensions


class Kinerja(Flask):
    def create_url_adapter(self, request):
        """Outside a request (a job, a periodic task, the CLI) `url_for` builds links from SERVER_NAME,
        APPLICATION_ROOT and PREFERRED_URL_SCHEME; without a configured SERVER_NAME for "localhost" (the links are
        relative). Requests keep their own host: SERVER_NAME stays unset unless configured."""
        adapter = super().create_url_adapter(request)
        if adapter is None and request is None:
            return self.url_map.bind(
                "localhost", script_name=self.config["APPLICATION_ROOT"], url_scheme=self.config["PREFERRED_URL_SCHEME"]
            )
        return adapter


def create_app(overrides: dict | None = None) -> Flask:
    # This host's own folder (SQLite files, its copy of batch files); default `instance/` beside the package.
    app = Kinerja(
        __name__, instance_relative_config=True, instance_path=os.environ.get("KINERJA_INSTANCE_PATH") or None
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.from_env(os.environ, app.instance_path))
    app.config.update(overrides or {})
    config.refuse_dev_secret_in_production(app.config)
    logging.basicConfig(level=logging.INFO)
    # WeasyPrint logs every rendering step at INFO: five lines per document (thousands in a batch) that cost
    # time per PDF and drown the worker log. Its warnings (a missing font, a refused resource) still show.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

    if app.config.get("BEHIND_PROXY"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    from .models import search

    extensions.init_app(app, include_name=search.include_name)

    from . import (
        access,
        audit,
        cli,
        errors,
        htmx,
        jinja,
        navigation,
        outbox,
        pdfcheck,
        request_input,
        security_headers,
        web,
    )
    from .jobs import runner

    request_input.init_app(app)  # the bounded `int` converter, before any route is added
    # Before the other modules' hooks, so it runs after them: a response they replace (htmx's HX-Redirect) gets it too.
    security_headers.init_app(app)
    from . import document_specs
    from .blueprints.admin import bp as admin_bp
    from .blueprints.auth import bp as auth_bp
    from .blueprints.awards import bp as awards_bp
    from .blueprints.competency import bp as competency_bp
    from .blueprints.complaints import bp as complaints_bp
    from .blueprints.dashboard import bp as dashboard_bp
    from .blueprints.development import bp as development_bp
    from .blueprints.documents import bp as documents_bp
    from .blueprints.documents import public_bp as verification_bp
    from .blueprints.employees import bp as employees_bp
    from .blueprints.evaluation360 import bp as evaluation360_bp
    from .blueprints.guide import bp as guide_bp
    from .blueprints.hr_dashboards import bp as hr_dashboards_bp
    from .blueprints.innovations import bp as innovations_bp
    from .blueprints.jobs import bp as jobs_bp
    from .blueprints.national import bp as national_bp
    from .blueprints.notifications import bp as notifications_bp
    from .blueprints.org import bp as org_bp
    from .blueprints.payroll import bp as payroll_bp
    from .blueprints.pembinaan import bp as pembinaan_bp
    from .blueprints.public_service import bp as public_service_bp
    from .blueprints.rating import bp as rating_bp
    from .blueprints.selection import bp as selection_bp
    from .blueprints.skm import bp as skm_bp
    from .blueprints.skm import kiosk_bp as skm_kiosk_bp
    from .blueprints.skp import bp as skp_bp
    from .blueprints.talent import bp as talent_bp
    from .services.documents import batches as documents_services

    for bp in (
        auth_bp,
        dashboard_bp,
        employees_bp,
        org_bp,
        skp_bp,
        evaluation360_bp,
        rating_bp,
        pembinaan_bp,
        awards_bp,
        talent_bp,
        selection_bp,
        competency_bp,
        hr_dashboards_bp,
        public_service_bp,
        development_bp,
        payroll_bp,
        admin_bp,
        notifications_bp,
        guide_bp,
        national_bp,
        jobs_bp,
        documents_bp,
        verification_bp,
        skm_bp,
        skm_kiosk_bp,
        complaints_bp,
        innovations_bp,
    ):
        app.register_blueprint(bp)
    web.answer_get_on_form_targets(app)  # after every route: GET on a POST-only form target → its page
    for module in (
        access,
        audit,
        outbox,
        errors,
        htmx,
        jinja,
        cli,
        runner,
        navigation,
        pdfcheck,
        documents_services,
        document_specs,
    ):
        module.init_app(app)
    _connect_signals()

    @app.before_request
    def _audit_actor():
        uid = current_user.id if current_user.is_authenticated else None
        audit.set_actor(uid, request.remote_addr)
        g.audit_actor = uid

    @app.teardown_request
    def _forget_audit_actor(exc):
        # The actor lives in a context variable of the worker thread: without this reset, work done
        # later on the same thread outside a request (CLI, jobs) would be logged as the last user.
        audit.set_actor(None, None)

    return app


def _connect_signals() -> None:
    """Who receives which cross-area event (the events are declared in signals.py). Connecting twice is a no-op."""
    from . import signals
    from .services.development import suggestions
    from .services.pembinaan import plans

    signals.referral_assigned.connect(plans.start_plan_for_referral)
    signals.assessment_results_saved.connect(suggestions.on_assessment_results)
