"""Payroll (gaji & TPP): everything that touches the database. Callers import the module they need."""
