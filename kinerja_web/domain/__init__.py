"""Pure domain core: no Flask, no SQLAlchemy, no clock. Plain values in, plain values out."""


class DomainError(Exception):
    """A rule of the domain was broken; `message` is Indonesian and shown to the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
