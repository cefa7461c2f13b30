"""Reading bytes safely: size limits, refused binary and wide encodings, strict UTF-8.

Encoding policy
    Input must be UTF-8 (a UTF-8 byte order mark is accepted and dropped). There is no guessing
    fallback: a file that is not valid UTF-8 is reported with the offending byte and its offset,
    because a silent Latin-1 fallback would garble names (the entities newskg extracts). The one
    exception is HTML that *declares* its charset in a ``<meta>`` tag: a declaration is not a
    guess, so it is honoured (strictly; :mod:`kg.articles.html_pages`). Opt-in: with a
    :class:`Fallback` (``kg extract`` / ``kg ingest --encoding-fallback cp1252``) a file that is
    not valid UTF-8 is decoded with the named encoding instead (strictly) and reported as a
    warning, not an error. Files with NUL bytes or UTF-16/32 byte order marks are refused
    either way.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.articles.model import ArticleError, display_path

UTF8_BOM = codecs.BOM_UTF8
_WIDE_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


@dataclass(frozen=True)
class Fallback:
    """Decode input that is not valid UTF-8 with ``encoding`` (strictly) and tell ``on_warning``
    (one line naming the file and the encoding) instead of refusing the file."""

    encoding: str
    on_warning: Callable[[str], None] = lambda message: None


def check_fallback_encoding(name: str) -> str:
    """The codec's canonical name (``"CP-1252"`` -> ``"cp1252"``), or ValueError saying why it cannot
    be a fallback: unknown, not a text encoding, or not ASCII-compatible (UTF-16/32 would turn
    any bytes into other text)."""
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise ValueError(f"unknown encoding {name!r} (e.g. cp1252, latin-1, iso-8859-15)") from None
    try:
        compatible = b"Ab1 .\n".decode(codec.name) == "Ab1 .\n"
    except (LookupError, UnicodeDecodeError, TypeError):
        compatible = False
    if not compatible or not getattr(codec, "_is_text_encoding", True):
        raise ValueError(f"encoding {name!r} cannot be a fallback: it is not an ASCII-compatible text encoding (e.g. cp1252, latin-1)")
    return codec.name


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The whole file, refusing files over ``max_bytes`` before reading them into memory."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ArticleError(path, None, f"file is {size:,} bytes, over the limit of {max_bytes:,} (max_bytes)")
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)  # the file may have grown since stat()
    if len(data) > max_bytes:
        raise ArticleError(path, None, f"file is over the limit of {max_bytes:,} bytes (max_bytes)")
    return data


def check_not_wide_or_binary(data: bytes, path: Path, line: int | None = None, base_offset: int = 0) -> None:
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            raise ArticleError(path, line, f"file is {name} encoded; newskg reads UTF-8 only (convert it, e.g. iconv -f {name} -t UTF-8)")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ArticleError(path, line, f"looks like a binary file (NUL byte at offset {base_offset + nul})")


def decode_utf8(data: bytes, path: Path, *, line: int | None = None, base_offset: int = 0, fallback: Fallback | None = None) -> str:
    """Strict UTF-8 (BOM dropped); the error names the first bad byte and its offset in the file.

    With a ``fallback``, bytes that are not UTF-8 are decoded with its encoding (strictly) and a
    warning is given instead of the error."""
    if data.startswith(UTF8_BOM):
        data, base_offset = data[len(UTF8_BOM) :], base_offset + len(UTF8_BOM)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        if fallback is not None:
            return _decode_fallback(data, path, fallback, line=line, base_offset=base_offset, first_bad=(bad, base_offset + exc.start))
        raise ArticleError(
            path,
            line,
            f"not valid UTF-8: byte 0x{bad:02x} at offset {base_offset + exc.start}; newskg reads UTF-8 only, "
            "so that no text is silently garbled (convert the file, e.g. iconv -f latin1 -t utf-8)",
        ) from None


def _decode_fallback(data: bytes, path: Path, fallback: Fallback, *, line: int | None, base_offset: int, first_bad: tuple[int, int]) -> str:
    try:
        text = data.decode(fallback.encoding)
    except UnicodeDecodeError as exc:
        bad, offset = first_bad
        raise ArticleError(
            path,
            line,
            f"not valid UTF-8 (byte 0x{bad:02x} at offset {offset}) nor {fallback.encoding} "
            f"(byte 0x{data[exc.start]:02x} at offset {base_offset + exc.start}); convert the file to UTF-8",
        ) from None
    bad, offset = first_bad
    location = display_path(path) if line is None else f"{display_path(path)}:{line}"
    fallback.on_warning(f"{location}: not valid UTF-8 (byte 0x{bad:02x} at offset {offset}); read as {fallback.encoding} (--encoding-fallback)")
    return text


def read_text(path: Path, max_bytes: int, fallback: Fallback | None = None) -> str:
    """The file's text, or an ArticleError saying why it is not a readable UTF-8 text file."""
    data = read_bytes(path, max_bytes)
    if not data:
        raise ArticleError(path, None, "file is empty")
    check_not_wide_or_binary(data, path)
    text = decode_utf8(data, path, fallback=fallback)
    if not text.strip():
        raise ArticleError(path, None, "file contains only whitespace")
    return text
