"""Set-based inserts for bulk work (intake, the demo book, later the nightly run).

Django's ``bulk_create`` spends most of its time compiling SQL value by value; for a 100,000-row
file that is most of the import. Here values are adapted once per column by type and sent with
``COPY`` on PostgreSQL and ``executemany`` on SQLite. Primary keys are reserved beforehand
(``reserve_ids``) so that rows inserted together can point at each other without reading back.
Callers pass values in the columns' Python types (Decimal, date, aware datetime, dict for JSON).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

Adapter = Callable[[Any], Any]


def chunks(items: Sequence[Any], size: int = 5000) -> Iterator[Sequence[Any]]:
    """``items`` in slices of ``size``: an ``IN (…)`` list stays under SQLite's 32,766 parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``. Call inside the transaction that inserts them.

    On SQLite the write lock is held from the transaction's first statement (IMMEDIATE mode), so
    the next ids after the current maximum are ours; on PostgreSQL they come from the sequence.
    """
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # AUTOINCREMENT never reuses the id of a deleted row; neither may we, or an old change-log
        # entry would point at a new object. sqlite_sequence remembers the highest id ever given.
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 0))',
            [table],
        )
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def _adapter(field: models.Field) -> Adapter | None:
    """How to turn a column's Python value into what the driver takes; None: as it is."""
    kind = field.get_internal_type()
    if kind == "JSONField":
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    if connection.vendor == "postgresql":
        return None  # psycopg's COPY adapts Decimal, date, datetime and bytes itself
    if kind == "DecimalField":
        return lambda v: None if v is None else str(v)
    if kind == "DateTimeField":
        # SQLite stores naive UTC text, as Django's own backend writes it.
        return lambda v: None if v is None else timezone.make_naive(v, dt.UTC).isoformat(" ")
    if kind == "DateField":
        return lambda v: None if v is None else v.isoformat()
    return None


def insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in ``columns`` order, attnames such as ``debtor_id``)."""
    if not rows:
        return 0
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    fields = [by_attname[name] for name in columns]
    db_columns = [f.column for f in fields]
    adapters = [(i, a) for i, f in enumerate(fields) if (a := _adapter(f)) is not None]

    def adapted(row: Sequence[Any]) -> Sequence[Any]:
        if not adapters:
            return row
        out = list(row)
        for i, adapt in adapters:
            out[i] = adapt(out[i])
        return out

    quoted = ", ".join(f'"{c}"' for c in db_columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
            with raw.copy(f'COPY "{meta.db_table}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(adapted(row))
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f'INSERT INTO "{meta.db_table}" ({quoted}) VALUES ({placeholders})',
                [adapted(row) for row in rows],
            )
    return len(rows)
