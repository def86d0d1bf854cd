"""Competency (domain reference §11): standar kompetensi jabatan, penilaian kompetensi (assessment events, the
assessor meeting, the provider's XLSX import), JPM and gap, the OPD view, and the evidence other areas read
(talent potensial, development referrals, selection). Functions flush, never commit."""
