"""Survei Kepuasan Masyarakat (PermenPANRB 14/2017): periods, kiosk and paper responses, results, report."""
