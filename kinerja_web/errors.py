"""Error pages in Indonesian; fragment requests get the message in the flash area instead."""

from __future__ import annotations

import logging

from flask import current_app, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .extensions import db
from .htmx import wants_fragment

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        "Permintaan tidak dapat diproses",
        "Data yang dikirim tidak lengkap atau tidak sah. Periksa isian lalu coba lagi.",
    ),
    403: (
        "Akses ditolak",
        "Anda tidak memiliki hak untuk melakukan tindakan ini. Hubungi admin kepegawaian bila ini keliru.",
    ),
    404: ("Halaman tidak ditemukan", "Halaman atau data yang Anda cari tidak ada, atau Anda tidak berhak melihatnya."),
    405: ("Metode tidak diizinkan", "Tindakan ini tidak dapat dilakukan dengan cara tersebut."),
    413: (
        "Berkas terlalu besar",
        "Ukuran berkas melebihi batas unggah. Perkecil berkas atau pecah menjadi beberapa berkas.",
    ),
    429: ("Terlalu banyak permintaan", "Tunggu sebentar lalu coba lagi."),
    500: (
        "Terjadi kesalahan pada server",
        "Maaf, terjadi kesalahan. Data Anda tidak berubah. Coba lagi; bila tetap terjadi, hubungi administrator.",
    ),
}


def _respond(code: int, title: str | None = None, message: str | None = None):
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    title, message = title or default_title, message or default_message
    if wants_fragment():
        html = render_template("_pesan.html", messages=[("error", f"{title}. {message}")])
        return html, code, {"HX-Retarget": "#pesan", "HX-Reswap": "innerHTML"}
    return render_template("errors/error.html", code=code, title=title, message=message), code


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return _respond(400, "Sesi Anda kedaluwarsa", "Muat ulang halaman lalu coba lagi.")

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(e):
        return _respond(413)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        if e.code is None or e.code < 400:
            return e
        return _respond(e.code)

    @app.errorhandler(Exception)
    def server_error(e: Exception):
        try:
            db.session.rollback()
            # The id alone: `get_id()` also carries the session token, a secret that signs a session in.
            uid = current_user.id if current_user and current_user.is_authenticated else None
        except Exception:  # the database itself may be what failed
            uid = None
        log.exception("Unhandled error on %s %s (user %s)", request.method, request.path, uid)
        try:
            return _respond(500)
        except Exception:
            # The normal page needs the database (menu, notifications). When that is what broke,
            # answer with a self-contained page rather than the server's bare error.
            log.exception("The error page itself failed; serving the standalone one")
            title, message = MESSAGES[500]
            # Rendered straight from the Jinja environment: context processors (which may touch the
            # database) are skipped on purpose.
            page = current_app.jinja_env.get_template("errors/standalone.html")
            return page.render(title=title, message=message), 500
