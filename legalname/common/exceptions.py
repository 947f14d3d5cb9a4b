class ApplicationError(Exception):
    """A domain error with a message fit for the user; ``extra`` carries field-level details."""

    def __init__(self, message: str, extra: dict | None = None, status_code: int = 400):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
        self.status_code = status_code
