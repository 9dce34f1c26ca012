"""Values defined once: limits that services check and forms, API and OpenAPI derive from."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """An inclusive range of numbers (or of lengths, for text)."""

    minimum: int
    maximum: int

    def openapi(self, kind="integer"):
        """JSON-schema bounds for ``kind``: ``integer``, ``number`` or ``string`` (lengths)."""
        if kind == "string":
            return {"type": "string", "minLength": self.minimum, "maxLength": self.maximum}
        return {"type": kind, "minimum": self.minimum, "maximum": self.maximum}
