from __future__ import annotations

from flask_wtf.file import FileField

from ...forms import BaseForm


class ReconcileForm(BaseForm):
    file = FileField("Berkas ekspor data utama dari SIASN (CSV atau XLSX)")
