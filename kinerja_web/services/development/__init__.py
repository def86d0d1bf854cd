"""Pengembangan kompetensi (competency development): the catalogue, referral rules, suggestion generation,
the HR queue, the referral lifecycle, the JP ledger, surat tugas and daftar peserta, and the outcomes loop."""
