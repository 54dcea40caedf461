"""Every error creatormix raises on purpose, in one tree.

    CreatormixError                 exit 1: anything we raise deliberately
    ├── InputError                  exit 2: the user's file, value or option is wrong
    │   ├── EncodingProblem         the bytes are not text in a known encoding (carries the offset)
    │   ├── FileFormatProblem       not CSV/JSON/Parquet, or unreadable structure (header, JSON syntax)
    │   ├── ColumnProblem           a column is duplicated, missing, ambiguous or contradicts its name
    │   ├── RowsRejected            --strict import with rejected rows (nothing was written)
    │   └── InvalidOption           a flag or setting has an impossible value
    ├── NotFound                    exit 3: a creator, plan, campaign … that does not exist
    └── WorkspaceProblem            exit 4: the workspace file is missing, locked, or from another version
        └── SchemaVersionError      made by a newer creatormix; we refuse to touch it

The CLI prints ``str(error)`` as one line and exits with ``exit_code``; the web layer maps the
same classes to HTTP statuses. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class CreatormixError(Exception):
    exit_code = 1
    http_status = 500


class InputError(CreatormixError):
    exit_code = 2
    http_status = 400


class EncodingProblem(InputError):
    def __init__(self, message: str, *, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class FileFormatProblem(InputError):
    pass


class ColumnProblem(InputError):
    pass


class RowsRejected(InputError):
    def __init__(self, message: str, *, rejects_file: str | None = None) -> None:
        super().__init__(message)
        self.rejects_file = rejects_file


class InvalidOption(InputError):
    pass


class NotFound(CreatormixError):
    exit_code = 3
    http_status = 404


class WorkspaceProblem(CreatormixError):
    exit_code = 4
    http_status = 409


class SchemaVersionError(WorkspaceProblem):
    pass
