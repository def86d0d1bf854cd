"""Dashboards: the home page aggregates (home) and HR's evaluation dashboards (evaluation)."""
