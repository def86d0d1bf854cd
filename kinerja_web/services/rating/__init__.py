"""Rating: the final rating and predikat, calibration and organisation predikat, keberatan, the rating lock and its documents."""
