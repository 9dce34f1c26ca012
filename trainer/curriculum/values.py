"""Limits of results and modules, defined once."""

from ..values import Limit

SCORE = Limit(0, 100)
PASS_SCORE = Limit(0, 100)
