"""Which engine runs the catalog pipeline: ``open_engine(settings)``.

Apart from the engines themselves (``store/engines.py``: the seam and DuckDB; ``store/spark.py``:
Spark), so that Spark's module can build on the seam without an import circle.
"""

from __future__ import annotations

from creatormix.domain.profiles import EngineSettings
from creatormix.domain.query import Progress, no_progress
from creatormix.errors import InvalidOption
from creatormix.store.engines import DuckDBEngine, Engine


def open_engine(settings: EngineSettings, progress: Progress = no_progress) -> Engine:
    """Connect the engine ``settings`` names (``duckdb`` or ``spark``)."""
    if settings.engine == "duckdb":
        return DuckDBEngine(settings, progress)
    if settings.engine == "spark":
        from creatormix.store.spark import SparkEngine

        return SparkEngine(settings, progress)
    raise InvalidOption(f"unknown engine {settings.engine!r} (choose duckdb or spark)")
