"""What the interfaces show, computed once: a plan, a creator page, an audit, a campaign report.

Each ``*_view(result)`` turns a facade result into a frozen view dataclass of plain text (the
sentences, verdicts, rounded figures, table cells and sections, no markup) with a ``to_json()``
twin. ``cli/`` renders views with Rich, ``web/`` with Jinja2; both decide only how things look.
Pure: imports ``domain`` and ``errors`` only (an import-linter contract).
"""
