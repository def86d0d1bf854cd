"""The guide's content files: their header, their Markdown (no raw HTML) and which section a screen's "?" opens."""

from __future__ import annotations

import os

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.services.guide import content
from kinerja_web.services.guide.figures import KNOWN

GOOD = "judul: Contoh\nperan: pegawai, atasan\nlayar: skp., rating.rate\nangka: predikat\nurutan: 5\n---\nTeks **tebal**.\n"


def test_a_section_is_parsed_from_its_header_and_markdown():
    s = content.parse("contoh", GOOD)
    assert (s.title, s.roles, s.screens, s.figures, s.order) == (
        "Contoh",
        ("pegawai", "atasan"),
        ("skp.", "rating.rate"),
        ("predikat",),
        5,
    )
    assert "<strong>tebal</strong>" in s.html
    assert s.role_labels == ["Pegawai", "Atasan / pejabat penilai"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("judul: X\nTeks tanpa pemisah\n", "baris '---'"),
        ("judul: X\nwarna: merah\n---\nTeks\n", "kunci tidak dikenal"),
        ("peran: pegawai\n---\nTeks\n", "judul wajib"),
        ("judul: X\nperan: tamu\n---\nTeks\n", "peran tidak dikenal: tamu"),
        ("judul: X\nurutan: dua\n---\nTeks\n", "urutan harus bilangan bulat"),
    ],
)
def test_a_malformed_header_is_refused_naming_the_file(text, message):
    with pytest.raises(DomainError) as e:
        content.parse("rusak", text)
    assert "rusak" in e.value.message and message in e.value.message


def test_raw_html_in_a_content_file_is_shown_as_text_not_markup():
    s = content.parse("x", "judul: X\n---\n<script>alert(1)</script>\n")
    assert "<script>" not in s.html and "&lt;script&gt;" in s.html


def test_every_shipped_section_parses_and_asks_only_for_known_figures():
    sections = content.sections()
    assert len(sections) >= 8
    assert [s.order for s in sections] == sorted(s.order for s in sections)
    for s in sections:
        assert set(s.figures) <= set(KNOWN), s.slug
        assert str(s.html).strip(), s.slug


def test_an_exact_screen_beats_a_prefix_and_the_longest_prefix_wins(tmp_path, monkeypatch):
    (tmp_path / "umum.md").write_text("judul: Umum\nlayar: rating.\n---\nA\n")
    (tmp_path / "keberatan.md").write_text("judul: Keberatan\nlayar: rating.keberatan_page\n---\nB\n")
    (tmp_path / "gaji.md").write_text("judul: Gaji\nlayar: payroll.\n---\nC\n")
    (tmp_path / "slip.md").write_text("judul: Slip\nlayar: payroll.sl\n---\nD\n")
    monkeypatch.setattr(content, "GUIDE_DIR", tmp_path)
    assert content.help_for("rating.keberatan_page").slug == "keberatan"
    assert content.help_for("rating.rate").slug == "umum"
    assert content.help_for("payroll.index").slug == "gaji"
    assert content.help_for("payroll.slip").slug == "gaji"  # "payroll.sl" is not a prefix entry (no final dot)
    assert content.help_for("skp.show") is None and content.help_for(None) is None


def test_a_changed_file_is_read_again(tmp_path):
    f = tmp_path / "a.md"
    f.write_text("judul: Lama\n---\nA\n")
    assert content.sections(tmp_path)[0].title == "Lama"
    f.write_text("judul: Baru sekali\n---\nA\n")
    st = os.stat(f)
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert content.sections(tmp_path)[0].title == "Baru sekali"
