"""Inovasi: the register of innovations of units and employees, HR review, award reasons."""
