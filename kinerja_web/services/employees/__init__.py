"""Employees: the directory and profile edits, family records, and the CSV/XLSX import."""
