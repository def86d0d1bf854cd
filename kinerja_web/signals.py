"""Events between areas, as blinker signals (Flask's own): every cross-area event is declared here.

An area sends a signal where the event happens; another area's function receives it, connected in one place
(`connect`, called by the app factory), so a newcomer finds who reacts to what in this module and the factory.
Receivers run synchronously in the sender's transaction: a receiver's `DomainError` refuses the whole action.

- `referral_assigned`: HR accepted a development referral and assigned it a programme.
  Sent with the Referral as sender and `actor` (User or None) and `today` (date).
  Received by pembinaan (`services.pembinaan.start_plan_for_referral`): a pembinaan kinerja referral opens its
  6-month improvement plan (PP 30/2019 Pasal 57).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

referral_assigned = _signals.signal("referral_assigned")
