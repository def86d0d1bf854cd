"""The demo's potongan lain-lain (issue 20 item 4): BAZNAS, a koperasi and a bank as payees, a zakat rule of the
opt-out kind (a regency's Instruksi Bupati, marked as demo data), two employees paying zakat (one who signed a
statement, one enrolled by the regency's list), one who declared an objection (opt-out, order ended), a koperasi
instalment and a bank loan instalment. Consent documents are small demo PDFs."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlalchemy import select

from ...domain.payroll.codec import encode
from ...domain.payroll.deductions import DasarZakat, JenisPotonganLain, ModeZakat, ZakatRule
from ...extensions import db
from ...models import Employee, PayrollPayee, PayrollRuleVersion, PayrollStandingOrder, User

DEMO = "CONTOH DATA DEMO"


def demo_pdf(text: str) -> bytes:
    """A one-page PDF that says what the document stands for (demo only)."""
    stream = f"BT /F1 11 Tf 40 780 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _consent(name: str, text: str) -> dict:
    data = demo_pdf(f"{text} ({DEMO})")
    return {
        "consent_filename": name,
        "consent_content_type": "application/pdf",
        "consent_size": len(data),
        "consent_sha256": hashlib.sha256(data).hexdigest(),
        "consent_data": data,
    }


def seed_zakat_rule(today: date) -> bool:
    """This year's zakat rule of the opt-out kind (a regency's Instruksi Bupati), marked as demo data."""
    start = date(today.year, 1, 1)
    vid = f"zakat@{start.isoformat()}-demo-opt-out"
    if db.session.scalar(select(PayrollRuleVersion.id).where(PayrollRuleVersion.version_id == vid)):
        return False
    rule = ZakatRule(
        dasar=DasarZakat.GAJI_TPP,
        nisab_bulanan=6_859_394,
        mode=ModeZakat.OPT_OUT,
        penerima="BAZNAS Kabupaten Lampung Utara",
    )
    db.session.add(
        PayrollRuleVersion(
            code="zakat",
            version_id=vid,
            berlaku_mulai=start,
            citation=(
                f"{DEMO}: Instruksi Bupati tentang zakat profesi ASN melalui BAZNAS (opt-out: semua ASN muslim yang "
                "terdaftar ikut, kecuali menyatakan keberatan); nisab SK Ketua BAZNAS 1/2024; pengurang bruto UU PPh "
                "Pasal 9 ayat (1) huruf g, PP 60/2010, PMK 168/2023 Pasal 10 — CONTOH [R]"
            ),
            data=encode(rule),
        )
    )
    return True


def seed_deductions_demo(today: date) -> int:
    """The payees and standing orders; 0 when the demo already has payees."""
    if db.session.scalar(select(PayrollPayee.id).limit(1)):
        return 0
    seed_zakat_rule(today)
    payees = {
        JenisPotonganLain.ZAKAT: PayrollPayee(
            name="BAZNAS Kabupaten Lampung Utara",
            jenis=JenisPotonganLain.ZAKAT,
            bank_name="Bank Syariah Indonesia (contoh)",
            bank_account="7000100200",
            account_holder="BAZNAS Kab. Lampung Utara",
        ),
        JenisPotonganLain.KOPERASI: PayrollPayee(
            name="KPRI Pemkab Lampung Utara",
            jenis=JenisPotonganLain.KOPERASI,
            bank_name="Bank Lampung (contoh)",
            bank_account="3800200300",
            account_holder="KPRI Pemkab Lampung Utara",
        ),
        JenisPotonganLain.BANK: PayrollPayee(
            name="Bank Lampung Cabang Kotabumi",
            jenis=JenisPotonganLain.BANK,
            bank_name="Bank Lampung (contoh)",
            bank_account="3800900100",
            account_holder="Bank Lampung Cabang Kotabumi",
        ),
    }
    db.session.add_all(payees.values())
    db.session.flush()
    pegawai = db.session.scalar(select(User.employee_id).where(User.username == "pegawai"))
    taken = set(db.session.scalars(select(User.employee_id).where(User.employee_id.is_not(None))))
    others = [
        i
        for i in db.session.scalars(
            select(Employee.id).where(Employee.active.is_(True)).order_by(Employee.id.desc()).limit(60)
        )
        if i not in taken
    ]
    if len(others) < 4:
        return 0
    start = date(today.year, 1, 1)
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    zakat, koperasi, bank = (
        payees[j].id for j in (JenisPotonganLain.ZAKAT, JenisPotonganLain.KOPERASI, JenisPotonganLain.BANK)
    )
    orders = [
        # 1. the demo employee account: signed a statement (visible on "Gaji Saya")
        PayrollStandingOrder(
            employee_id=pegawai or others[0],
            payee_id=zakat,
            jenis=JenisPotonganLain.ZAKAT,
            mulai=start,
            note="Surat pernyataan bersedia dipotong zakat profesi",
            **_consent("pernyataan-zakat.pdf", "Surat pernyataan bersedia dipotong zakat profesi melalui BAZNAS"),
        ),
        # 2. enrolled by the regency's list under the opt-out Instruksi Bupati
        PayrollStandingOrder(
            employee_id=others[1],
            payee_id=zakat,
            jenis=JenisPotonganLain.ZAKAT,
            mulai=start,
            note="Peserta menurut daftar lampiran Instruksi Bupati (opt-out)",
            **_consent("instruksi-bupati-zakat-daftar-peserta.pdf", "Instruksi Bupati zakat ASN - daftar peserta"),
        ),
        # 3. enrolled by the list, then declared an objection: the order ends (opt-out)
        PayrollStandingOrder(
            employee_id=others[2],
            payee_id=zakat,
            jenis=JenisPotonganLain.ZAKAT,
            mulai=start,
            sampai=max(start, (last_month - timedelta(days=1)).replace(day=1)),
            ended_reason="Pernyataan keberatan pegawai (opt-out) tanggal 1 bulan lalu",
            **_consent("instruksi-bupati-zakat-daftar-peserta.pdf", "Instruksi Bupati zakat ASN - daftar peserta"),
        ),
        # 4. koperasi: iuran wajib + angsuran, fixed
        PayrollStandingOrder(
            employee_id=others[3],
            payee_id=koperasi,
            jenis=JenisPotonganLain.KOPERASI,
            jumlah=350_000,
            mulai=start,
            reference="KPRI-0457",
            **_consent("kuasa-potong-kpri.pdf", "Surat kuasa potong gaji untuk KPRI"),
        ),
        # 5. a bank loan instalment through the bendahara, until the loan ends
        PayrollStandingOrder(
            employee_id=others[1],
            payee_id=bank,
            jenis=JenisPotonganLain.BANK,
            jumlah=1_250_000,
            mulai=start,
            sampai=date(today.year + 3, 12, 1),
            reference="PK/2024/00871",
            **_consent("akad-kredit-bank-lampung.pdf", "Akad kredit dan surat kuasa potong gaji Bank Lampung"),
        ),
    ]
    db.session.add_all(orders)
    db.session.flush()
    return len(orders)
