"""Public-service quality (domain reference §12): the service catalogue with versioned standar pelayanan, the
holiday calendar, the service-log import, the monthly pre-aggregates, dashboards, the measured values an IKI
can be linked to (`signals`) and the "Bukti pelayanan publik" evidence for the pejabat penilai (`evidence`).

Callers import the module they need, e.g. `from kinerja_web.services.public_service import evidence`.
"""
