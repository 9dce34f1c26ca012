"""Domain errors raised by services and turned into form errors or JSON answers at the edge."""


class DomainError(Exception):
    """A rule of the domain refused an operation; ``status`` is the fitting HTTP status."""

    status = 422

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    """The object does not exist, or the user may not know that it does."""

    status = 404


class Conflict(DomainError):
    """The operation clashes with the current state (a duplicate, an overlap, a full session)."""

    status = 409


class InvalidInput(DomainError):
    """A value is malformed or out of range."""

    status = 400
