"""What a careful person reads from a table's values where its header is loose or wrong.

Pure rules over Arrow columns of a file's first batch, used by ``ingest.tabulate``:

* **paired columns**: one header twice, a display string (``409.8M``) and the exact number
  (``409800000``); they agree when every row holding both is equal within one unit of the
  display's last digit (sites round or truncate), and the exact one is loaded;
* **the identity column**: the column whose values are valid handles on the platform is the
  handle, the one that reads as display text the name, whatever the headers say;
* **decorative columns**: ``S.no``, ``Rank``, ``row-cell``, pandas' ``Unnamed: 0``, and columns
  with no value at all, skipped and counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import pyarrow as pa
import pyarrow.compute as pc

from creatormix.domain.imports import Inference
from creatormix.domain.platform import Platform, handle_rule
from creatormix.ingest import values as v
from creatormix.ingest import vector
from creatormix.ingest.fields import Field, Kind, header_key

NAME_KEY = "name-key"  # --map COLUMN=name-key: the column's display names are the identity


@dataclass(frozen=True)
class ColumnPlan:
    index: int
    header: str
    field: Field | None
    how: str  # "alias", "--map", "ignored", "unknown", "coalesced" (read through another plan),
    # "inferred" (from the values), "paired" (read through its exact twin), "decorative",
    # "identical" (a copy of another column), NAME_KEY (display names standing for handles)
    also: tuple[int, ...] = ()  # columns read as this one where it is empty (user.username)
    pair: tuple[int, ...] = ()  # same-named display columns checked against this exact one


# Header keys (``fields.header_key``) of columns that number or decorate rows.
DECORATIVE_HEADERS = frozenset(
    {
        "",
        "s no",
        "sno",
        "s n",
        "sr no",
        "sr",
        "sl no",
        "serial",
        "serial no",
        "serial number",
        "no",
        "nr",
        "number",
        "rank",
        "ranking",
        "position",
        "pos",
        "index",
        "row",
        "row cell",
        "row number",
        "row id",
        "unnamed 0",
    }
)

HANDLE_SHARE = 0.9  # a column is read as handles when this share of its values are valid ones
NAME_KEYED_SHARE = 0.2  # a YouTube column with this share of display text holds channel names
SAMPLE_ROWS = 5000  # rows of the first batch the identity and decorative rules look at

# Header words that name a creator's identity (``Tiktoker name``, ``youtuber``, ``Title``).
IDENTITY_WORDS = re.compile(
    r"\b(name|names|user|username|handle|channel|creator|influencer|account|tiktoker|youtuber|"
    r"instagrammer|streamer|profile|title|author)\b"
)


def is_decorative(key: str, col: pa.Array) -> bool:
    """Whether a column only numbers or decorates rows (by its header), or holds nothing."""
    if key in DECORATIVE_HEADERS:
        return True
    sample = col.slice(0, SAMPLE_ROWS)
    if not len(sample):
        return False
    return bool(pc.all(vector.missing_cells(sample)).as_py())


# --- paired columns ---------------------------------------------------------------------------


def number_units(arr: pa.Array, locale: v.Locale) -> tuple[pa.Array, pa.Array]:
    """(value, unit) of each cell: the number it reads as, and one unit of its last written
    digit (``409.8M`` -> 100,000; ``17.8K`` -> 100; ``290`` -> 1); null where none."""
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        values = pc.cast(arr, pa.float64())
        return values, pc.if_else(pc.is_valid(values), 1.0, pa.scalar(None, pa.float64()))
    values, _pct, _suf, ok = vector.parse_numbers(arr, locale)
    parts = pc.extract_regex(vector.normalised(arr), pattern=locale.number_pattern())
    frac = pc.fill_null(pc.utf8_length(pc.struct_field(parts, "frac")), 0)
    suf = pc.struct_field(parts, "suf")
    mult = pc.if_else(
        pc.equal(suf, "k"),
        1e3,
        pc.if_else(
            pc.is_in(suf, value_set=pa.array(["m", "mm", "mn"])),
            1e6,
            pc.if_else(pc.is_in(suf, value_set=pa.array(["b", "bn"])), 1e9, 1.0),
        ),
    )
    unit = pc.multiply(pc.power(10.0, pc.negate(pc.cast(frac, pa.float64()))), mult)
    return values, pc.if_else(ok, unit, pa.scalar(None, pa.float64()))


@dataclass(frozen=True)
class PairCheck:
    """How same-named numeric columns compare, row by row."""

    exact: int  # position (in the group) of the column with the finest digits
    both: int  # rows where the exact column and another hold a value
    agree: int  # of those, rows where they agree within the coarser column's unit
    either: int  # rows where any of them holds a value
    disagree: list[int]  # rows (of this batch) where they do not agree
    identical: bool  # every column writes the same digits (a plain duplicate)


def check_pair(cols: list[pa.Array], locale: v.Locale) -> PairCheck:
    """Compare same-named columns: which one is exact and where the others disagree with it."""
    read = [number_units(c, locale) for c in cols]
    coarse = [pc.mean(u).as_py() for _, u in read]
    exact = min(range(len(cols)), key=lambda i: (coarse[i] is None, coarse[i] or 0.0, i))
    ev, eu = read[exact]
    n = len(cols[0])
    both_mask = pa.array([False] * n)
    bad_mask = pa.array([False] * n)
    any_mask = pc.is_valid(ev)
    identical = True
    for i, (values, unit) in enumerate(read):
        if i == exact:
            continue
        any_mask = pc.or_(any_mask, pc.is_valid(values))
        present = pc.and_(pc.is_valid(values), pc.is_valid(ev))
        tolerance = pc.add(pc.max_element_wise(unit, eu), 1e-9)
        far = pc.greater(pc.abs(pc.subtract(values, ev)), tolerance)
        both_mask = pc.or_(both_mask, pc.fill_null(present, False))
        bad_mask = pc.or_(bad_mask, pc.fill_null(pc.and_(present, far), False))
        same = pc.equal(vector.normalised(cols[i]), vector.normalised(cols[exact]))
        identical = identical and pc.all(pc.fill_null(same, True)).as_py() is not False
    disagree = vector._indices(bad_mask)
    return PairCheck(
        exact=exact,
        both=int(pc.sum(both_mask).as_py() or 0),
        agree=int(pc.sum(both_mask).as_py() or 0) - len(disagree),
        either=int(pc.sum(any_mask).as_py() or 0),
        disagree=disagree,
        identical=identical,
    )


def same_text(cols: list[pa.Array]) -> bool:
    """Whether same-named columns hold the same value on every row (trimmed, any case)."""
    first = pc.fill_null(vector.normalised(cols[0]), "")
    return all(
        pc.all(pc.equal(first, pc.fill_null(vector.normalised(c), ""))).as_py() is not False
        for c in cols[1:]
    )


# --- the identity column ----------------------------------------------------------------------


@dataclass(frozen=True)
class IdentityScore:
    """How much a column's values look like handles on a platform, or like display names."""

    present: int
    valid: int  # valid handles once canonical (no '@', no profile-URL prefix, lower case)
    text: int  # cells that read as display text: white space, or a character no handle has
    valid_example: str | None
    text_example: str | None
    invalid_example: str | None = None

    @property
    def valid_share(self) -> float:
        return self.valid / self.present if self.present else 0.0

    @property
    def text_share(self) -> float:
        return self.text / self.present if self.present else 0.0


_URL_PREFIX = (
    r"^(?:https?://)?(?:www\.|m\.)?(?:instagram\.com|tiktok\.com|youtube\.com|x\.com|twitter\.com|"
    r"facebook\.com|twitch\.tv|pinterest\.com)/(?:@|c/|user/|channel/)?"
)
_DISPLAY_TEXT = r"\s|[^A-Za-z0-9._@\-]"


def canonical_handles(col: pa.Array) -> pa.Array:
    """``normalise_handle`` of each cell on the vector path (profile URLs, '@', case)."""
    text = pc.utf8_trim_whitespace(vector._strings(col))
    text = pc.replace_substring_regex(text, pattern=_URL_PREFIX, replacement="")
    text = pc.replace_substring_regex(text, pattern=r"[/?#].*$", replacement="")
    return pc.utf8_lower(pc.utf8_ltrim(text, characters="@"))


def identity_score(col: pa.Array, pattern: str) -> IdentityScore:
    sample = vector._strings(col.slice(0, SAMPLE_ROWS))
    present_mask = pc.invert(vector.missing_cells(sample))
    cells = pc.filter(sample, present_mask)
    valid = pc.fill_null(pc.match_substring_regex(canonical_handles(cells), pattern=pattern), False)
    text = pc.fill_null(
        pc.match_substring_regex(pc.utf8_trim_whitespace(cells), pattern=_DISPLAY_TEXT), False
    )
    return IdentityScore(
        present=len(cells),
        valid=int(pc.sum(valid).as_py() or 0),
        text=int(pc.sum(text).as_py() or 0),
        valid_example=_first(cells, valid),
        text_example=_first(cells, text),
        invalid_example=_first(cells, pc.invert(valid)),
    )


def _first(cells: pa.Array, mask: pa.Array) -> str | None:
    hits = pc.filter(cells, mask)
    return str(hits[0].as_py()).strip() if len(hits) else None


def is_identity_header(key: str) -> bool:
    """Whether a header (``header_key`` form) names who a row is about (``Tiktoker name``)."""
    return bool(IDENTITY_WORDS.search(key))


# --- decisions on a file's plan, from its first batch -----------------------------------------


def skip_decorative(
    plans: list[ColumnPlan], batch: pa.RecordBatch
) -> tuple[list[ColumnPlan], list[Inference]]:
    """Columns that match no field and only number rows, or hold nothing, are skipped."""
    out, skipped = [], []
    for p in plans:
        if p.how == "unknown" and is_decorative(header_key(p.header), batch.column(p.index)):
            out.append(replace(p, how="decorative"))
            skipped.append(p.header)
        else:
            out.append(p)
    if not skipped:
        return out, []
    names = ", ".join(repr(h) for h in skipped)
    accept = " ".join(f"--map '{h}=ignore'" for h in skipped)
    return out, [
        Inference(
            "decorative",
            f"skipped {len(skipped)} decorative column(s) (row numbers, ranks or empty): {names}",
            tuple(skipped),
            accept=accept,
        )
    ]


def file_platform(
    plans: list[ColumnPlan], batch: pa.RecordBatch, default: Platform | None
) -> Platform | None:
    """The platform a file's handles are on: ``--platform``, else the one its platform column
    names most (None when it names none)."""
    if default is not None:
        return default
    col = next((p for p in plans if p.field is not None and p.field.name == "platform"), None)
    if col is None:
        return None
    counts = pc.value_counts(pc.utf8_lower(vector._strings(batch.column(col.index).slice(0, 5000))))
    for item in sorted(counts.to_pylist(), key=lambda c: -c["counts"]):
        try:
            return Platform.parse(item["values"] or "")
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class Identity:
    plans: list[ColumnPlan]
    inferences: list[Inference]
    problems: list[str]


def _where(platform: Platform | None) -> str:
    names = {Platform.TIKTOK: "TikTok", Platform.YOUTUBE: "YouTube", Platform.X: "X"}
    return names.get(platform, platform.value.capitalize()) if platform else "any platform's"


def choose_identity(
    plans: list[ColumnPlan],
    batch: pa.RecordBatch,
    fields: tuple[Field, ...],
    platform: Platform | None,
) -> Identity:
    """Which column holds the handles and which the display names, by their values.

    Candidates are the columns whose header means handle or name, and unknown columns whose
    header names an identity (``Tiktoker name``, ``Youtuber``). The one whose values are valid
    handles on the platform (at least ``HANDLE_SHARE`` of them) is the handle, the one that reads
    as display text the name. A YouTube file without a column of handles is keyed by the channel
    name (``name-key``). Columns the user mapped are left as they are.
    """
    if any(p.how in {"--map", NAME_KEY} and p.field and p.field.name == "handle" for p in plans):
        return Identity(plans, [], [])
    has_name = any(f.name == "name" for f in fields)
    candidates = [
        p
        for p in plans
        if p.how in {"alias", "unknown"}
        and (
            (p.field is not None and p.field.name in {"handle", "name"})
            or (p.field is None and p.how == "unknown" and is_identity_header(header_key(p.header)))
        )
    ]
    if not candidates:
        return Identity(plans, [], [])
    pattern = handle_rule(platform)[0]
    scores = {p.index: identity_score(batch.column(p.index), pattern) for p in candidates}
    by_header = next((p for p in candidates if p.field and p.field.name == "handle"), None)
    ranked = sorted(
        candidates,
        key=lambda p: (-scores[p.index].valid_share, p is not by_header, p.index),
    )
    best = ranked[0]
    where = _where(platform)
    changed: dict[int, ColumnPlan] = {}
    inferences: list[Inference] = []
    problems: list[str] = []

    def assign(p: ColumnPlan, name: str | None, how: str) -> None:
        field = next(f for f in fields if f.name == name) if name else None
        changed[p.index] = replace(p, field=field, how=how)

    score = scores[best.index]
    if score.present and score.valid_share >= HANDLE_SHARE:
        handle = best
        rivals = [p for p in ranked[1:] if scores[p.index].valid_share >= HANDLE_SHARE and p.field]
        for r in rivals:
            if same_text([batch.column(handle.index), batch.column(r.index)]):
                assign(r, None, "identical")
                inferences.append(
                    Inference(
                        "identical",
                        f"column {r.header!r} repeats the handles of {handle.header!r}; skipped",
                        (r.header,),
                        accept=f"--map '{r.header}=ignore'",
                    )
                )
            elif r.field is not None and r.field.name == "handle":
                problems.append(
                    f"columns {handle.header!r} and {r.header!r} both hold {where} handles "
                    f"(e.g. {scores[handle.index].valid_example!r} and "
                    f"{scores[r.index].valid_example!r}); keep one with --map '{r.header}=ignore'"
                )
        if handle is not by_header:
            assign(handle, "handle", "inferred")
        name = _name_column(candidates, scores, handle, changed) if has_name else None
        name_by_header = name is not None and name.field is not None and name.field.name == "name"
        if name is not None and not name_by_header:
            assign(name, "name", "inferred")
        for p in candidates:  # header-mapped identity columns that lost their role
            if p.index in changed or p is handle or p is name or p.field is None:
                continue
            if p.field.name == "handle" or (p.field.name == "name" and name is not None):
                assign(p, None, "unknown")
        moved = any(c.how != "identical" for c in changed.values())  # a role not the header's
        said = ", as its header says"
        parts = [
            f"handle from column {handle.header!r}{said if handle is by_header else ''} "
            f"({score.valid:,}/{score.present:,} sampled values are valid {where} handles, "
            f"e.g. {score.valid_example!r})"
        ]
        if name is not None:
            example = scores[name.index].text_example or scores[name.index].valid_example
            parts.append(
                f"name from column {name.header!r}{said if name_by_header else ''} "
                f"(display text, e.g. {example!r})"
            )
        accept = f"--map '{handle.header}=handle'" + (
            f" --map '{name.header}=name'" if name is not None else ""
        )
        inferences.insert(
            0,
            Inference(
                "identity",
                "; ".join(parts),
                (handle.header,) + ((name.header,) if name is not None else ()),
                "handle",
                accept=accept if moved else None,
                changed=moved,
            ),
        )
    elif platform is Platform.YOUTUBE and (keyed := _channel_names(candidates, scores, by_header)):
        s = scores[keyed.index]
        changed[keyed.index] = replace(
            keyed, field=next(f for f in fields if f.name == "handle"), how=NAME_KEY
        )
        for p in candidates:
            if p is not keyed and p.field is not None and p.field.name == "handle":
                assign(p, None, "unknown")
        example = s.text_example or s.valid_example
        inferences.append(
            Inference(
                NAME_KEY,
                f"no column holds YouTube handles ({s.valid:,}/{s.present:,} values of "
                f"{keyed.header!r} are valid ones, e.g. {example!r} is not): creators are keyed by "
                f"the channel name in {keyed.header!r}, marked name-keyed; a later import with "
                "their handles merges into them",
                (keyed.header,),
                "handle",
                accept=f"--map '{keyed.header}={NAME_KEY}'",
            )
        )
    elif by_header is not None and (s := scores[by_header.index]).present:
        example = s.invalid_example
        inferences.append(
            Inference(
                "identity",
                f"handle from column {by_header.header!r}, as its header says, though only "
                f"{s.valid:,}/{s.present:,} sampled values are valid {where} handles (e.g. "
                f"{example!r} is not) and no other column holds more: records without a valid "
                "handle are rejected",
                (by_header.header,),
                "handle",
                changed=False,
            )
        )
    return Identity([changed.get(p.index, p) for p in plans], inferences, problems)


def _channel_names(
    candidates: list[ColumnPlan], scores: dict[int, IdentityScore], by_header: ColumnPlan | None
) -> ColumnPlan | None:
    """The column of channel names a YouTube file without handles is keyed by: the header's
    handle or name column (else the fullest candidate), when enough of it is display text."""
    keyed = by_header or next((p for p in candidates if p.field and p.field.name == "name"), None)
    keyed = keyed or max(candidates, key=lambda p: (scores[p.index].present, -p.index))
    return keyed if scores[keyed.index].text_share >= NAME_KEYED_SHARE else None


def _name_column(
    candidates: list[ColumnPlan],
    scores: dict[int, IdentityScore],
    handle: ColumnPlan,
    changed: dict[int, ColumnPlan],
) -> ColumnPlan | None:
    """The display-name column: the header's name column when it is not the handle one, else
    the candidate that reads most as display text."""
    rest = [p for p in candidates if p is not handle and p.index not in changed]
    if not rest:
        return None
    named = [p for p in rest if p.field is not None and p.field.name == "name"]
    if named:
        return named[0]
    texty = [p for p in rest if scores[p.index].text_share > 0]
    return max(texty, key=lambda p: scores[p.index].text_share) if texty else None


@dataclass(frozen=True)
class Duplicates:
    plans: list[ColumnPlan]
    inferences: list[Inference]
    problems: list[str]


def resolve_duplicates(
    plans: list[ColumnPlan],
    groups: list[list[ColumnPlan]],
    batch: pa.RecordBatch,
    locale: v.Locale,
    line_of: Callable[[int], str],
) -> Duplicates:
    """Same-named columns that would both load: a numeric display/exact pair loads the exact
    one; identical columns load the first; anything else stays a problem naming them."""
    changed: dict[int, ColumnPlan] = {}
    inferences: list[Inference] = []
    problems: list[str] = []
    for group in groups:
        group = [p for p in group if p.field is not None and p.how in {"alias", "inferred"}]
        if len(group) < 2:
            continue
        field = group[0].field
        assert field is not None
        name = group[0].header
        cols = [batch.column(p.index) for p in group]
        labels = [f"{p.header}#{i + 1}" for i, p in enumerate(group)]
        if field.kind.numeric and field.kind is not Kind.MONEY:
            check = check_pair(cols, locale)
            exact = group[check.exact]
            if check.disagree:
                row = check.disagree[0]
                cells = ", ".join(
                    f"{lab} is {c[row].as_py()!r}" for lab, c in zip(labels, cols, strict=True)
                )
                problems.append(
                    f"the header names {name!r} {len(group)} times and they disagree beyond "
                    f"rounding on {len(check.disagree):,} row(s), e.g. {line_of(row)}: {cells}; "
                    f"say which one to load, e.g. --map '{labels[1 if check.exact == 0 else 0]}=ignore'"
                )
                continue
            others = [p for p in group if p is not exact]
            changed[exact.index] = replace(exact, pair=tuple(p.index for p in others))
            for p in others:
                changed[p.index] = replace(p, field=None, how="paired")
            which = "identical" if check.identical else "display and exact"
            loaded = "the first" if check.identical else "the exact one"
            only = check.either - check.both
            extra = f" ({only:,} hold only one)" if only else ""
            inferences.append(
                Inference(
                    "pair",
                    f"{field.name}: {len(group)} columns {name!r}, {which}, agree on "
                    f"{check.agree:,}/{check.either:,} rows{extra}; loaded {loaded} "
                    f"({labels[check.exact]})",
                    tuple(labels),
                    field.name,
                    accept=" ".join(
                        f"--map '{lab}=ignore'" for i, lab in enumerate(labels) if i != check.exact
                    ),
                )
            )
        elif same_text(cols):
            for p in group[1:]:
                changed[p.index] = replace(p, field=None, how="identical")
            inferences.append(
                Inference(
                    "identical",
                    f"{field.name}: {len(group)} columns {name!r} hold the same values; loaded the first",
                    tuple(labels),
                    field.name,
                    accept=" ".join(f"--map '{lab}=ignore'" for lab in labels[1:]),
                )
            )
        else:
            where = " and ".join(f"column {p.index + 1}" for p in group)
            problems.append(
                f"the header names {name!r} {len(group)} times ({where}) with different values; "
                f"say which one to load, e.g. --map '{name}#2=ignore'"
            )
    return Duplicates([changed.get(p.index, p) for p in plans], inferences, problems)
