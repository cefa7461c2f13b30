"""Finding input files: files and folders expanded into the files to read, in a reproducible
order, with what cannot be read (missing, a FIFO, a device, a link loop) reported."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.articles.model import ArticleError, display_path

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")


def os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "cannot read: permission denied"
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {error.strerror or error}"


_FILE_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def not_a_regular_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as an article file (a dangling or looping symbolic link, a
    FIFO, a device such as /dev/zero), or None for a regular file. Reading a FIFO would block
    and /dev/zero never ends, so they are refused before they are opened."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if exc.errno == errno.ENOENT and os.path.islink(path):
            try:
                target = display_path(os.readlink(path))
            except OSError:
                target = "?"
            return f"dangling symbolic link (to {target})"
        return os_reason(exc)
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
    return f"not a regular file: {kind}"


def _is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _files_under(folder: Path) -> tuple[list[Path], list[ArticleError]]:
    """Supported, non-hidden regular files below ``folder``, sorted by their path within it."""
    errors: list[ArticleError] = []
    found: list[Path] = []

    def report(error: OSError) -> None:
        errors.append(ArticleError(error.filename or folder, None, os_reason(error)))

    read = {os.path.realpath(folder)}  # every folder is read once, whatever the links leading to it

    def to_read(dirpath: str, name: str) -> bool:
        if name.startswith("."):
            return False
        candidate = os.path.join(dirpath, name)
        real = os.path.realpath(candidate)
        if os.path.islink(candidate):  # a loop: it leads to a folder of the path that reaches it, or above one
            above = Path(dirpath).relative_to(folder).parents
            chain = {os.path.realpath(dirpath), *(os.path.realpath(folder / part) for part in above)}
            if any(real == here or here.startswith(real.rstrip(os.sep) + os.sep) for here in chain):
                errors.append(ArticleError(Path(candidate), None, f"symbolic link loop: links to {display_path(os.readlink(candidate))}, a folder it is in"))
                return False
        if real in read:
            return False  # already read through another path: its files are read once
        read.add(real)
        return True

    for dirpath, dirnames, filenames in os.walk(folder, onerror=report, followlinks=True):
        dirnames[:] = [name for name in sorted(dirnames) if to_read(dirpath, name)]
        for name in filenames:
            candidate = Path(dirpath, name)
            if name.startswith(".") or not _is_supported(candidate):
                continue
            problem = not_a_regular_file(candidate)
            if problem is None:
                found.append(candidate)
            else:  # a supported name that cannot be read is reported, not skipped in silence
                errors.append(ArticleError(candidate, None, problem))
    found.sort(key=lambda p: p.relative_to(folder).parts)
    return found, errors


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path | ArticleError]:
    """Expand files and folders into the files to read, in a reproducible order.

    Folders are walked recursively and sorted; hidden files and folders and unsupported
    suffixes inside them are skipped silently (a folder holds other things too). Symbolic links
    to folders are followed, wherever they point, and each folder is read once, by the first
    path that reaches it in sorted order; a link to a folder it is in (itself, its own folder,
    a folder above, ``/``) is a loop, reported as an :class:`ArticleError`. A path named
    explicitly is always reported: missing, or with an unsupported suffix, it yields an
    :class:`ArticleError`. A file reached twice is yielded once.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # one path passed bare, not a list of paths
    seen: set[str] = set()

    def first_time(path: Path) -> bool:
        key = os.path.realpath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    for given in paths:
        path = Path(given)
        try:
            is_folder = path.is_dir()
            exists = is_folder or path.exists()
        except OSError as exc:
            yield ArticleError(path, None, os_reason(exc))
            continue
        if not exists:
            yield ArticleError(path, None, not_a_regular_file(path) or "no such file or directory")
        elif is_folder:
            files, errors = _files_under(path)
            yield from errors
            yield from (file for file in files if first_time(file))
        elif not _is_supported(path):
            suffix = path.suffix or "(none)"
            yield ArticleError(path, None, f"unsupported file type {suffix} (supported: {', '.join(SUPPORTED_SUFFIXES)})")
        elif first_time(path):
            yield path
