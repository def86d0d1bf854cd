"""Notifications: in-app rows and their e-mail copies (`notify`), e-mail delivery after commit (`mail`).

The to-do list ("3 SKP menunggu persetujuan Anda") is computed by each area's provider; the one list of providers
is `kinerja_web/todos.py`, above the areas it imports.
"""
