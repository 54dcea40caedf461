"""The facade every interface calls: ``Workspace.open(path)``, then one method per use case."""

from creatormix.workspace._core import DEFAULT_DB, ENV_DB, Workspace, default_db_path

__all__ = ["DEFAULT_DB", "ENV_DB", "Workspace", "default_db_path"]
