"""Pengaduan (Perpres 76/2013): register, verification, follow-up, closing, the officer's response, reminders."""
