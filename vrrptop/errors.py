"""User-facing errors: one clear line and a non-zero exit status."""


class VrrptopError(Exception):
    """An error the operator can act on; ``str(err)`` is the whole message.

    ``exit_code`` follows sysexits loosely: 2 usage, 66 no input, 69 unavailable,
    77 permission denied.
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
