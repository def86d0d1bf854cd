"""Penghargaan (awards): proposals, HR selection and the SK Penghargaan."""
