"""Inputs of the catalog pipeline's tests: the demo catalog and a generated 100,000-creator one,
written as Parquet once per test run."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from creatormix import demo
from creatormix.domain.profiles import EngineSettings, ProfilesBuildRequest
from creatormix.workspace import Workspace


def write_inputs(folder: Path, seed: int, creators: int, *, samples: bool) -> dict[str, Path]:
    """The generated catalog as the Parquet exports the pipeline reads."""
    catalog = demo.generate(seed=seed, creators=creators)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "creators": folder / "creators.parquet",
        "posts": folder / "posts.parquet",
        "snapshots": folder / "snapshots.parquet",
    }
    pq.write_table(catalog.creators, paths["creators"])
    pq.write_table(catalog.posts, paths["posts"])
    pq.write_table(catalog.snapshots, paths["snapshots"])
    if samples:
        paths["follower_samples"] = folder / "follower_samples.parquet"
        vetting = demo.generate_vetting(catalog, seed=seed)
        pq.write_table(vetting.followers_sample, paths["follower_samples"])
    return paths


@pytest.fixture(scope="session")
def demo_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo catalog (3,000 creators, seed 7) with its follower samples."""
    return write_inputs(tmp_path_factory.mktemp("demo-inputs"), 7, 3000, samples=True)


@pytest.fixture(scope="session")
def large_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A generated catalog of 100,000 creators (about 1.9 million posts)."""
    return write_inputs(tmp_path_factory.mktemp("large-inputs"), 11, 100_000, samples=False)


def build(inputs: dict[str, Path], out: Path, engine: str, **settings: object) -> Path:
    """``profiles build`` of ``inputs`` into ``out`` on ``engine`` (2 partitions or threads)."""
    request = ProfilesBuildRequest(
        creators=str(inputs["creators"]),
        posts=str(inputs["posts"]) if "posts" in inputs else None,
        snapshots=str(inputs["snapshots"]) if "snapshots" in inputs else None,
        follower_samples=(
            str(inputs["follower_samples"]) if "follower_samples" in inputs else None
        ),
        out=str(out),
        engine=EngineSettings(engine, partitions=2),
        **settings,  # type: ignore[arg-type]
    )
    Workspace.build_profiles(request)
    return out
