"""Payroll pages, one module per part: runs, outputs (daftar, bank, slips, documents), inputs (attendance,
predikat, TPP status), rules, dashboard (TPP spend and budget)."""
