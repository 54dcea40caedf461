"""The commands end to end in child processes: ``profiles build`` on DuckDB, a rerun that
recomputes nothing, ``import profiles`` into a new workspace, and a plan and an audit on the
imported catalog (a catalog built elsewhere is one the workspace works on)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

pytestmark = pytest.mark.slow


def _cli(db: Path, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "creatormix", "--db", str(db), *args, "--json"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_built_profiles_imported_into_a_workspace_are_planned_and_audited_there(
    demo_inputs: dict[str, Path], tmp_path: Path
) -> None:
    db, out = tmp_path / "ws.duckdb", tmp_path / "profiles"
    files = [
        *("--creators", str(demo_inputs["creators"]), "--posts", str(demo_inputs["posts"])),
        *("--snapshots", str(demo_inputs["snapshots"])),
        *("--follower-samples", str(demo_inputs["follower_samples"])),
    ]
    built = _cli(db, "profiles", "build", "--engine", "duckdb", *files, "--out", str(out))
    assert built["creators"] == 3000 and not built["unchanged"]
    assert sum(built["tiers"].values()) == 3000  # type: ignore[attr-defined]
    again = _cli(db, "profiles", "build", "--engine", "duckdb", *files, "--out", str(out))
    assert again["unchanged"] and again["fingerprint"] == built["fingerprint"]
    assert not db.exists()  # a build needs no workspace

    loaded = _cli(db, "import", "profiles", str(out))
    assert (loaded["creators"], loaded["audits"]) == (3000, built["audited"])
    assert _cli(db, "creators", "list", "--limit", "5")["total"] == 3000
    plan = _cli(
        db, "plan", "--goal", "sales", "--budget", "8k", "--aov", "60", "--margin", "60%",
        "--scenarios", "200",
    )  # fmt: skip
    picks = plan["selections"]
    assert picks and sum(s["cost"] for s in picks) <= 8000  # type: ignore[attr-defined]
    audited = _cli(db, "audit", "--all", "--sampled", "--limit", "5")
    assert audited["total"] == built["audited"]
    first = audited["creators"][0]  # type: ignore[index]
    assert first["fake_measured"] and first["raw_fake_share"] is not None
    again_loaded = _cli(db, "import", "profiles", str(out))
    assert again_loaded["already_imported_as"] == loaded["import_id"]
