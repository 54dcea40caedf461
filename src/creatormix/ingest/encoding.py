"""Text encoding of an input file, found in the same pass that hashes it.

UTF-8 (with or without BOM) and UTF-16 with a BOM are read as they are. A file that is not valid
UTF-8 is decoded as Windows-1252 when every byte is defined there (the usual "saved from Excel"
case), with a warning naming the first non-UTF-8 byte; otherwise the import stops with that offset.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

from creatormix.errors import EncodingProblem

_CHUNK = 8 << 20


@dataclass(frozen=True)
class FileFacts:
    sha256: str
    size: int
    encoding: str
    note: str | None = None


def _bom(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def inspect_file(path: Path, *, text: bool, encoding: str | None = None) -> FileFacts:
    """Hash the file and, for text formats, settle its encoding (see the module docstring).

    One pass hashes and checks UTF-8; only a file that is not valid UTF-8 is read a second time
    to check it against Windows-1252.
    """
    digest = hashlib.sha256()
    size = 0
    utf8 = codecs.getincrementaldecoder("utf-8")("strict")
    first_bad: int | None = None
    bom: str | None = None
    check = text and encoding is None
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if size == 0:
                bom = _bom(chunk)
                check = check and bom is None
            digest.update(chunk)
            if check and first_bad is None:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError as exc:
                    first_bad = size + exc.start
            size += len(chunk)
    if check and first_bad is None:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            first_bad = size - 1
    facts = FileFacts(sha256=digest.hexdigest(), size=size, encoding=encoding or bom or "utf-8")
    if not check or first_bad is None:
        return facts
    if _is_cp1252(path):
        note = (
            f"file is not valid UTF-8 (first invalid byte at offset {first_bad}); decoded as Windows-1252 "
            "(pass --encoding to choose another)"
        )
        return FileFacts(sha256=facts.sha256, size=size, encoding="cp1252", note=note)
    raise EncodingProblem(
        f"{path}: not valid UTF-8 at byte offset {first_bad}, and not Windows-1252 either; "
        "pass --encoding (for example --encoding latin-1)",
        offset=first_bad,
    )


def _is_cp1252(path: Path) -> bool:
    """Whether every byte of the file is defined in Windows-1252."""
    cp1252 = codecs.getincrementaldecoder("cp1252")("strict")
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            try:
                cp1252.decode(chunk)
            except UnicodeDecodeError:
                return False
    return True
