"""The yardstick for benchmarks.pages: a bare Flask app rendering a 50-row Jinja table, nothing else.

The table is a named template behind Flask's `render_template`, so Jinja compiles it once per process and
caches it, as it does for every template of a real app (`render_template_string` would compile it again on
every request: about 1.5 ms of a 2 ms request, which made the yardstick several times too slow).
"""

from __future__ import annotations

from flask import Flask, render_template
from jinja2 import DictLoader

PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Tabel</title></head>
<body><main><h1>Daftar</h1>
<table><thead><tr><th>No</th><th>Nama</th><th>NIP</th><th>Jabatan</th><th>Unit kerja</th></tr></thead><tbody>
{% for r in rows %}<tr><td>{{ r.no }}</td><td><a href="/p/{{ r.no }}">{{ r.name }}</a></td><td>{{ r.nip }}</td>
<td>{{ r.position }}</td><td>{{ r.unit }}</td></tr>
{% endfor %}</tbody></table></main></body></html>"""

ROWS = [
    {
        "no": i,
        "name": f"Pegawai Contoh {i}",
        "nip": f"19900101 201503 1 {i:03d}",
        "position": "Pengadministrasi Umum",
        "unit": "Sekretariat Badan Kepegawaian",
    }
    for i in range(1, 51)
]

app = Flask(__name__)
app.jinja_loader = DictLoader({"table.html": PAGE})


@app.get("/")
def table():
    return render_template("table.html", rows=ROWS)
