"""Run the benchmarks: ``python bench/run.py [suite ...] [--quick] [--json out.json]``.

Suites are the ``bench/suite_*.py`` modules. ``--quick`` shrinks every size so the whole run
takes seconds (the test suite runs it that way to keep the benchmarks from rotting); the figures
quoted in the README come from a full run.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _harness import Result, print_results, write_json  # noqa: E402


def available() -> list[str]:
    return sorted(p.stem.removeprefix("suite_") for p in HERE.glob("suite_*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "suites", nargs="*", help=f"suites to run (default all: {', '.join(available())})"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    chosen = args.suites or available()
    unknown = set(chosen) - set(available())
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
    results: list[Result] = []
    for name in chosen:
        module = importlib.import_module(f"suite_{name}")
        results += module.run(quick=args.quick)
    print_results(results)
    if args.json:
        write_json(results, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
