"""Every error creatormix raises on purpose, in one tree.

    CreatormixError                 exit 1: anything we raise deliberately
    ├── InputError                  exit 2: the user's file, value or option is wrong
    │   ├── EncodingProblem         the bytes are not text in a known encoding (carries the offset)
    │   ├── FileFormatProblem       not CSV/JSON/Parquet, or unreadable structure (header, JSON syntax)
    │   ├── ColumnProblem           a column is duplicated, missing, ambiguous or contradicts its name
    │   ├── RowsRejected            --strict import with rejected rows (nothing was written)
    │   └── InvalidOption           a flag or setting has an impossible value
    ├── NotFound                    exit 3: a creator, plan, campaign … that does not exist
    ├── WorkspaceProblem            exit 4: the workspace file is missing, locked, or from another version
    │   └── SchemaVersionError      made by a newer creatormix; we refuse to touch it
    └── EngineProblem               exit 5: the compute engine cannot start (Spark, Java) or failed

The CLI prints ``str(error)`` as one line and exits with ``exit_code``; the web layer maps the
same classes to HTTP statuses and ``code`` (``{"error": {"code", "message", "field"}}``), and
shows a message next to the form field ``field`` names (a brief's dotted key, such as
``constraints.max_creators``) when the error has one. Anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations


class CreatormixError(Exception):
    exit_code = 1
    http_status = 500
    code = "error"

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field  # the input the message is about, when it is about one


class InputError(CreatormixError):
    exit_code = 2
    http_status = 400
    code = "invalid_input"


class EncodingProblem(InputError):
    code = "encoding"

    def __init__(self, message: str, *, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class FileFormatProblem(InputError):
    code = "file_format"


class ColumnProblem(InputError):
    code = "column"


class RowsRejected(InputError):
    code = "rows_rejected"

    def __init__(self, message: str, *, rejects_file: str | None = None) -> None:
        super().__init__(message)
        self.rejects_file = rejects_file


class InvalidOption(InputError):
    code = "invalid_option"


class NotFound(CreatormixError):
    exit_code = 3
    http_status = 404
    code = "not_found"


class WorkspaceProblem(CreatormixError):
    exit_code = 4
    http_status = 409
    code = "workspace"


class SchemaVersionError(WorkspaceProblem):
    code = "schema_version"


class EngineProblem(CreatormixError):
    exit_code = 5
    http_status = 503
    code = "engine_problem"
