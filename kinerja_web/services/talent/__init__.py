"""Talent mapping (9-box): kinerja from the final predikat × potensial entered by HR (PermenPANRB 3/2020)."""
