"""Domain errors of certificates."""

from ..errors import Conflict, DomainError


class NotEligible(DomainError):
    """The staff member misses modules (``details['missing']``) for the level."""

    status = 422


class AlreadyHeld(Conflict):
    """A valid certificate of that level already exists (``details['number']``)."""


class NotValid(Conflict):
    """The certificate is already revoked or superseded."""
