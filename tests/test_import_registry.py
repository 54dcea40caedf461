"""Every import kind has its importer registered; follower lists keep their own path."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormix.domain.imports import ImportKind
from creatormix.errors import InvalidOption
from creatormix.workspace import Workspace
from creatormix.workspace.importers import IMPORTERS


def test_every_kind_but_follower_lists_and_profiles_has_an_importer() -> None:
    assert set(IMPORTERS) == set(ImportKind) - {ImportKind.FOLLOWERS, ImportKind.PROFILES}


def test_only_the_catalog_kinds_rebuild_the_catalog_metrics() -> None:
    feeding = {kind for kind, importer in IMPORTERS.items() if importer.feeds_metrics}
    assert feeding == {ImportKind.CREATORS, ImportKind.POSTS, ImportKind.SNAPSHOTS}


def test_a_follower_list_given_to_import_file_is_refused_with_the_command_to_use(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "followers.csv"
    f.write_text("creator,follower\n@anna,1\n")
    with pytest.raises(InvalidOption, match="creatormix import followers"):
        ws.import_file(ImportKind.FOLLOWERS, f)
    assert ws.imports() == []


def test_a_profiles_folder_given_to_import_file_is_refused_with_the_command_to_use(
    ws: Workspace, tmp_path: Path
) -> None:
    f = tmp_path / "profiles.csv"
    f.write_text("platform,handle\ninstagram,anna\n")
    with pytest.raises(InvalidOption, match="creatormix import profiles"):
        ws.import_file(ImportKind.PROFILES, f)
    assert ws.imports() == []
