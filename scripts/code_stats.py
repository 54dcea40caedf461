"""Sizes that show where logic collects: lines per package, the longest facade methods and
CLI functions, and how many Ibis query calls each layer makes.

Usage: python scripts/code_stats.py [--json] [--src SRC] [FUNCTION ...]   e.g. render_plan
An older commit: git archive COMMIT src | tar -x -C /tmp/old && python scripts/code_stats.py --src /tmp/old/src
"""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "creatormix"
# Ibis verbs that build or run a query (``.filter``, ``.to_pyarrow`` …) on a table expression
QUERY_CALLS = {
    "filter",
    "select",
    "group_by",
    "agg",
    "aggregate",
    "order_by",
    "join",
    "left_join",
    "semi_join",
    "anti_join",
    "mutate",
    "distinct",
    "limit",
    "to_pyarrow",
    "count",
    "isin",
    "memtable",
    "cases",
    "fill_null",
    "notnull",
    "isnull",
    "median",
}

ARRAY_MODULES = {"pa", "pc", "np"}  # pyarrow.compute's filter/count are no queries


def package_of(path: Path, root: Path) -> str:
    rel = path.relative_to(root)
    return rel.parts[0].removesuffix(".py") if len(rel.parts) > 1 else rel.stem


def functions(tree: ast.AST) -> list[tuple[str, int, int]]:
    """(qualified name, lines, lines after its signature and docstring) of every function."""
    out: list[tuple[str, int, int]] = []

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                walk(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                end = child.end_lineno or child.lineno
                first = child.body[0]
                documented = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                start = child.body[1].lineno if documented and len(child.body) > 1 else first.lineno
                out.append((f"{prefix}{child.name}", end - child.lineno + 1, end - start + 1))
                walk(child, f"{prefix}{child.name}.")

    walk(tree, "")
    return out


def query_calls(tree: ast.AST, *, ibis_module: bool) -> int:
    """Calls of query verbs in a module that uses Ibis (imports it, or takes ``ir.Table``)."""
    if not ibis_module:
        return 0
    return sum(
        1
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in QUERY_CALLS
        and not (isinstance(n.func.value, ast.Name) and n.func.value.id in ARRAY_MODULES)
    )


def stats(wanted: list[str], root: Path = ROOT) -> dict[str, object]:
    packages: dict[str, int] = {}
    facade: list[tuple[str, int, int]] = []
    cli: list[tuple[str, int, int]] = []
    named: list[tuple[str, int, int]] = []
    every: list[int] = []
    queries: dict[str, int] = {}
    ibis_modules: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        pkg = package_of(path, root)
        packages[pkg] = packages.get(pkg, 0) + len(text.splitlines())
        found = functions(tree)
        every += [n for _, n, _ in found]
        rel = path.relative_to(root).as_posix()
        qualified = [(f"{rel}:{name}", n, body) for name, n, body in found]
        if pkg == "workspace":
            facade += qualified
        if pkg == "cli":
            cli += qualified
        named += [f for f in qualified if any(f[0].endswith(":" + w) for w in wanted)]
        uses_ibis = "ibis" in text and "migrations" not in rel
        if uses_ibis:
            ibis_modules.setdefault(pkg, []).append(rel)
        queries[pkg] = queries.get(pkg, 0) + query_calls(tree, ibis_module=uses_ibis)
    facade.sort(key=lambda x: -x[1])
    cli.sort(key=lambda x: -x[1])
    return {
        "lines_per_package": dict(sorted(packages.items(), key=lambda kv: -kv[1])),
        "total_lines": sum(packages.values()),
        "median_function_lines": statistics.median(every),
        "longest_facade_methods": facade[:8],
        "longest_cli_functions": cli[:5],
        "query_calls_per_package": {k: v for k, v in sorted(queries.items()) if v},
        "modules_naming_ibis": dict(sorted(ibis_modules.items())),
        "functions_asked": named,
    }


def say(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "functions", nargs="*", help="also show these functions (qualified: Class.method)"
    )
    parser.add_argument(
        "--src",
        type=Path,
        default=ROOT.parent,
        help="the src/ folder to measure (default this checkout's), e.g. an older commit's",
    )
    args = parser.parse_args()
    s = stats(args.functions, args.src / "creatormix")
    if args.json:
        say(json.dumps(s, indent=2))
        return
    say("lines per package:")
    for pkg, n in s["lines_per_package"].items():  # type: ignore[attr-defined]
        say(f"  {pkg:<12} {n:>6,}")
    say(f"  {'total':<12} {s['total_lines']:>6,}")
    say(f"median function: {s['median_function_lines']} lines")
    for title, key in (
        ("longest facade methods", "longest_facade_methods"),
        ("longest CLI functions", "longest_cli_functions"),
        ("functions asked for", "functions_asked"),
    ):
        if not s[key]:
            continue
        say(f"{title} (lines, and lines after the signature and docstring):")
        for name, n, body in s[key]:  # type: ignore[attr-defined]
            say(f"  {n:>4} {body:>4}  {name}")
    say("Ibis query calls (filter, select, to_pyarrow …) per package, migrations aside:")
    for pkg, n in s["query_calls_per_package"].items():  # type: ignore[attr-defined]
        say(f"  {pkg:<12} {n:>4}")
    say("modules that name ibis (import it or handle its expressions):")
    for pkg, mods in s["modules_naming_ibis"].items():  # type: ignore[attr-defined]
        say(f"  {pkg:<12} {len(mods):>4}  {', '.join(m.split('/')[-1] for m in mods)}")


if __name__ == "__main__":
    main()
