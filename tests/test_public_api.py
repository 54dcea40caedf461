"""The public surface is small and named."""

from __future__ import annotations

import inspect

import creatormix
from creatormix import workspace
from creatormix.workspace import Workspace


def test_exported_members() -> None:
    assert creatormix.__all__ == ["__version__"]
    assert sorted(workspace.__all__) == [
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


def test_every_public_workspace_method_states_its_contract() -> None:
    undocumented = [
        name
        for name, member in inspect.getmembers(Workspace, predicate=inspect.isfunction)
        if not name.startswith("_") and not inspect.getdoc(member)
    ]
    assert not undocumented, undocumented
