"""Org-unit tree and staff roster: the ground floor every other feature builds on."""
