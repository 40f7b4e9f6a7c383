"""Typed errors of the priority-file layer; each is one line the operator can act on."""

from __future__ import annotations

from vrrptop.errors import VrrptopError


class PriorityFileError(VrrptopError):
    """The priority file cannot be read as text (binary, NUL bytes, not UTF-8, too big)."""

    def __init__(self, message: str, exit_code: int = 65) -> None:
        super().__init__(message, exit_code)


class EditError(VrrptopError):
    """An edit that cannot be applied (bad host name, no such line, nothing to move)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message, exit_code)


class SaveError(VrrptopError):
    """Saving failed (permission denied, disk full, read-only file system...).

    The original file is untouched and no temporary file is left behind.
    """

    def __init__(self, message: str, errno: int | None = None, exit_code: int = 73) -> None:
        super().__init__(message, exit_code)
        self.errno = errno


class ConflictError(SaveError):
    """The file changed on disk since it was loaded; saving would lose that change.

    ``on_disk`` is the current content (bytes) so the UI can show it or reload.
    """

    def __init__(self, message: str, on_disk: bytes | None) -> None:
        super().__init__(message, None, 75)
        self.on_disk = on_disk
