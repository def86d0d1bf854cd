"""Pembinaan kinerja: the improvement-plan lifecycle (plans) and the page queries (queries)."""
