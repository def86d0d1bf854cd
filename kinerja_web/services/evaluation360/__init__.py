"""Evaluation360: 360° feedback on the BerAKHLAK values (cycles, raters, answers, results, reminders)."""
