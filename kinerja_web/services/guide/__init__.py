"""Panduan (sosialisasi): the guide's content files, the live figures they show, and the announcements board."""
