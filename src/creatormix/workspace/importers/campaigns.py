"""Campaign importers: store orders (a Shopify export's line items grouped into orders, with notes
on what will not count as revenue) and analytics sessions by UTM parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatormix.domain.imports import ImportKind, ImportOutcome, ImportWarning
from creatormix.store import campaigns as cstore

if TYPE_CHECKING:
    from creatormix.workspace.importers._job import ImportJob


def orders(job: ImportJob) -> ImportOutcome:
    """Orders written, rejects, notes, and the line-item rows merged into their order (so
    accepted + merged + rejected adds up to the rows read)."""
    return _campaign_facts(ImportKind.ORDERS, job)


def analytics(job: ImportJob) -> ImportOutcome:
    return _campaign_facts(ImportKind.ANALYTICS, job)


def _campaign_facts(kind: ImportKind, job: ImportJob) -> ImportOutcome:
    import pyarrow as pa

    tab, progress, store, import_id = job.tab, job.progress, job.store, job.import_id
    tables = []
    for chunk in tab.chunks():
        tables.append(chunk.table)
        progress("reading", chunk.records_read, tab.source.rows_estimate)
    table = pa.concat_tables(tables) if len(tables) != 1 else tables[0]
    if kind is ImportKind.ORDERS:
        from creatormix.campaigns.orders import group_orders, order_notes

        id_column = next((h for h, f in tab.loaded_columns.items() if f == "order_id"), "order_id")
        rows, rejects = group_orders(table.to_pylist(), tab.display, tab.source.locate, id_column)
        known = cstore.known_order_keys(store, [r["order_key"] for r in rows])
        grouped = table.num_rows - len(rejects)  # rows of a named order
        summary = (
            f"{tab.records_read:,} row(s) read: {grouped:,} make {len(rows):,} order(s) "
            f"({len(rows) - len(known):,} new, {len(known):,} updated; the line items of an "
            f"order are one order), {tab.records_read - grouped:,} rejected"
        )
        codes = cstore.taken_codes(store)[0]
        notes = [ImportWarning(summary), *order_notes(rows, codes)]
        accepted = cstore.append_orders(store, rows, import_id)
        return ImportOutcome(accepted, tuple(rejects), tuple(notes), merged=grouped - len(rows))
    from creatormix.campaigns.orders import analytics_rows

    rows = analytics_rows(table.to_pylist())
    return ImportOutcome(cstore.append_analytics(store, rows, import_id))
