"""Events between areas, as blinker signals (Flask's own): every cross-area event is declared here.

An area sends a signal where the event happens; another area's function receives it, connected in one place
(`connect`, called by the app factory), so a newcomer finds who reacts to what in this module and the factory.
Receivers run synchronously in the sender's transaction: a receiver's `DomainError` refuses the whole action.

- `referral_assigned`: HR accepted a development referral and assigned it a programme.
  Sent with the Referral as sender and `actor` (User or None) and `today` (date).
  Received by pembinaan (`services.pembinaan.start_plan_for_referral`): a pembinaan kinerja referral opens its
  6-month improvement plan (PP 30/2019 Pasal 57).
- `assessment_results_saved`: competency assessment results were saved (the provider import confirmed, or an
  assessor meeting completed a participant). Sent with the AssessmentEvent as sender and `today` (date).
  Received by development (`services.development.suggestions.on_assessment_results`): the competency-gap rule
  suggests development for the new gaps in HR's referral queue.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

referral_assigned = _signals.signal("referral_assigned")
assessment_results_saved = _signals.signal("assessment_results_saved")
