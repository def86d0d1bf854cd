"""SKP (Sasaran Kinerja Pegawai): planning, approval, realisasi, cascading, monitoring and the SKP documents.

Callers import the module they need, e.g. `from kinerja_web.services.skp import planning`.
"""
