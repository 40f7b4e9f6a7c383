"""What a saved priority file keeps of the original besides its bytes.

A save replaces the file with a new inode, so everything attached to the old one
must be copied: mode (set-id bits included), owner and group, and the extended
attributes, which hold POSIX ACLs (``system.posix_acl_access``) and security labels.
A track script or an operator given read access by ACL must not lose it on the
first save. Attributes the process may not set (another user's ``trusted.*``, a
label policy forbids) are skipped one by one: the save itself must not fail.
"""

from __future__ import annotations

import contextlib
import os


def read_xattrs(path: str | os.PathLike[str] | int) -> dict[str, bytes]:
    """Every extended attribute of ``path`` (a path or an open fd) we can read."""
    if not hasattr(os, "listxattr"):  # pragma: no cover - not Linux
        return {}
    try:
        names = os.listxattr(path)
    except OSError:
        return {}
    out: dict[str, bytes] = {}
    for name in names:
        with contextlib.suppress(OSError):
            out[name] = os.getxattr(path, name)
    return out


def copy_metadata(fd: int, like: os.stat_result, xattrs: dict[str, bytes]) -> None:
    """Give the file open at ``fd`` the owner, mode and extended attributes of the
    original (``like``, ``xattrs``)."""
    # chown first: it may clear set-id bits that chmod then restores.
    with contextlib.suppress(PermissionError):
        os.fchown(fd, like.st_uid, like.st_gid)
    os.fchmod(fd, like.st_mode & 0o7777)
    for name, value in xattrs.items():
        with contextlib.suppress(OSError):
            os.setxattr(fd, name, value)
    if xattrs:
        # Setting an access ACL rewrites the group bits from its mask and may drop
        # set-gid: the original's mode wins.
        os.fchmod(fd, like.st_mode & 0o7777)
