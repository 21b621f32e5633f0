class DomainError(Exception):
    """A refused state change; `message` is shown to the user (in Vietnamese)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
