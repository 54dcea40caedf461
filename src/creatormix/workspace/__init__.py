"""The facade every interface calls: ``Workspace.open(path)``, then one method per use case."""

from creatormix.campaigns.render import report_csv, report_html
from creatormix.workspace._core import (
    DEFAULT_DB,
    ENV_DB,
    Location,
    Workspace,
    default_db_path,
    explain_error,
    lock_wait_seconds,
)

__all__ = [
    "DEFAULT_DB",
    "ENV_DB",
    "Location",
    "Workspace",
    "default_db_path",
    "explain_error",
    "lock_wait_seconds",
    "report_csv",
    "report_html",
]
