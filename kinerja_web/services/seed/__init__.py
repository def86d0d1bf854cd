"""Demo and scale data, one module per area; `demo` runs them in order for `flask seed demo|scale`.

Deterministic (seeded random), so tests and benchmarks see the same regency every time. The demo data
plants one example of every data-quality problem so the HR queue has something real to show.
"""
