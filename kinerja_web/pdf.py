"""PDF rendering service: Jinja template + print CSS → WeasyPrint → bytes.

One `PdfRenderer` per app and process (kept in `app.extensions`, built lazily so that forked worker
processes build their own): it owns one `FontConfiguration` and the parsed print CSS, which WeasyPrint
would otherwise rebuild for every document (STYLE.md §2.10: RSS stays flat, layout starts faster).
Resources are fetched only from the app's static folder (fonts, CSS) or from `data:` URIs produced by
our own code (logo, QR code); everything else — other files, http(s), ftp — is refused, so a document
can never make the server read arbitrary files or reach the network (no SSRF).
"""

from __future__ import annotations

import base64
import io
import mimetypes
import os
import threading
from urllib.parse import unquote, urlsplit

from flask import current_app
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

PRINT_CSS = "css/print.css"


class FetchRefused(ValueError):
    """A document asked for a resource outside the static folder."""


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint 70 URL fetcher that serves files under `static_dir` and `data:` URIs, nothing else.

    WeasyPrint 70 expects a `URLFetcher` subclass whose `fetch(url, headers)` returns a
    `URLFetcherResponse`; any exception makes it skip the resource with a warning.
    """

    def __init__(self, static_dir: str):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.static_dir = os.path.realpath(static_dir)

    def resolve(self, url: str) -> str:
        """Return the real path of a file:// URL inside the static folder, or raise FetchRefused."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"Sumber di luar folder static ditolak: {url[:80]}")
        path = os.path.realpath(unquote(parts.path))
        if os.path.commonpath([path, self.static_dir]) != self.static_dir or not os.path.isfile(path):
            raise FetchRefused(f"Berkas di luar folder static ditolak: {url[:80]}")
        return path

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        path = self.resolve(url)
        with open(path, "rb") as fh:
            body = fh.read()
        mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime})

    def __call__(self, url: str) -> URLFetcherResponse:
        return self.fetch(url)


class PdfRenderer:
    """Long-lived renderer: shared font configuration, parsed CSS and fetcher for one process."""

    def __init__(self, static_dir: str):
        self.static_dir = static_dir
        self.base_url = static_dir.rstrip("/") + "/"
        self.fetcher = StaticOnlyFetcher(static_dir)
        self.font_config = FontConfiguration()
        self.stylesheets = [
            CSS(
                filename=os.path.join(static_dir, PRINT_CSS),  # url(../fonts/…) resolves next to the file
                url_fetcher=self.fetcher,
                font_config=self.font_config,
            )
        ]
        self._lock = threading.Lock()

    def html_to_pdf(self, html: str) -> tuple[bytes, int]:
        """PDF bytes and page count."""
        # FontConfiguration is not thread-safe; processes (not threads) give parallelism.
        with self._lock:
            document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                stylesheets=self.stylesheets, font_config=self.font_config
            )
            return document.write_pdf(), len(document.pages)


def renderer() -> PdfRenderer:
    """The renderer of this app in this process (built on first use, after any fork)."""
    ext = current_app.extensions
    pid = os.getpid()
    r = ext.get("pdf_renderer")
    if r is None or r[0] != pid:
        r = (pid, PdfRenderer(current_app.static_folder))
        ext["pdf_renderer"] = r
    return r[1]


def render_html(template: str, **ctx) -> str:
    """Plain Jinja rendering (app filters, no request context processors): works in workers too."""
    return current_app.jinja_env.get_template(template).render(**ctx)


def render_pdf(template: str, **ctx) -> bytes:
    """Render a Jinja template (extending `pdf/_naskah.html`) to PDF bytes."""
    return render_pdf_pages(template, **ctx)[0]


def render_pdf_pages(template: str, **ctx) -> tuple[bytes, int]:
    return renderer().html_to_pdf(render_html(template, **ctx))


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def qr_png(text: str) -> bytes:
    """QR code (error correction M) as a PNG for embedding in a document."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=6, border=2)
    qr.add_data(text)
    qr.make(fit=True)
    buf = io.BytesIO()
    qr.make_image().save(buf, format="PNG")
    return buf.getvalue()
