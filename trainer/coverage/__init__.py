"""Targets and read-only coverage queries, dashboards and exports."""
