"""Exports in the layouts national systems take (SIASN/e-Kinerja, Taspen, BPJS Kesehatan) and the reconciliation
of Kinerja's employee master data against a SIASN export. Layouts are mapping files (`kinerja_web/data/national/`),
replaceable per installation (`KINERJA_NATIONAL_LAYOUT_DIR`)."""
