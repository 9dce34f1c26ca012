"""Limits of targets, defined once (the service checks them, the form derives from them)."""

from ..values import Limit

TARGET_PERCENT = Limit(0, 100)
TARGET_YEAR = Limit(2000, 2100)
