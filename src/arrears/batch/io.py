"""Moving whole columns between the database and Polars: read a query into a frame, write a frame
back as inserts or as one set-based UPDATE. Never a Python loop of ORM saves.

Reads use the driver's cursor (``COPY … TO STDOUT`` is the next step on PostgreSQL if reading ever
dominates); writes go through ``core.bulk`` (COPY on PostgreSQL) and a temporary table joined in a
single ``UPDATE … FROM``, which both SQLite (3.33+) and PostgreSQL run set-based.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from django.db import connection, models

from arrears.core import bulk


def read(sql: str, params: Sequence[Any], schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    """The rows of ``sql`` as a frame with ``schema``. SQLite gives dates as text and flags as 0/1."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return pl.DataFrame(rows, schema=dict(schema), orient="row")
    dates = [name for name, dtype in schema.items() if dtype == pl.Date]
    flags = [name for name, dtype in schema.items() if dtype == pl.Boolean]
    loose = {n: pl.String if n in dates else pl.Int64 if n in flags else t for n, t in schema.items()}
    frame = pl.DataFrame(rows, schema=loose, orient="row")
    return frame.with_columns(
        *(pl.col(name).str.slice(0, 10).str.to_date("%Y-%m-%d") for name in dates),
        *(pl.col(name).cast(pl.Boolean) for name in flags),
    )


def fen(column: str) -> str:
    """SQL for a money column as whole fen (exact on both databases)."""
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


def day(column: str) -> str:
    """SQL for a date column that reads the same on both databases (SQLite's driver would otherwise
    hand some dates over as ``date`` and computed ones as text)."""
    return f"date({column})" if connection.vendor == "sqlite" else column


def local_date(column: str) -> str:
    """SQL for the business-time-zone date of a timestamp column (Asia/Shanghai is UTC+8, no DST)."""
    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE 'Asia/Shanghai')::date"
    return f"date({column}, '+8 hours')"


def insert(model: type[models.Model], frame: pl.DataFrame, columns: Sequence[str] | None = None) -> int:
    """Insert the frame's rows (its columns named by the model's attnames)."""
    columns = list(columns or frame.columns)
    return bulk.insert(model, columns, list(frame.select(columns).iter_rows()))


def update(model: type[models.Model], frame: pl.DataFrame, columns: Sequence[str]) -> int:
    """Set ``columns`` of the rows whose ``id`` is in the frame, in one statement."""
    if frame.is_empty():
        return 0
    table = model._meta.db_table
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    temp = f"tmp_{table}_update"
    definitions = ", ".join(['"id" bigint'] + [f'"{c}" {by_attname[c].db_type(connection)}' for c in columns])
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE IF EXISTS "{temp}"')
        cursor.execute(f'CREATE TEMPORARY TABLE "{temp}" ({definitions})')
        rows = [_python(row) for row in frame.select("id", *columns).iter_rows()]
        placeholders = ", ".join(["%s"] * (len(columns) + 1))
        quoted = ", ".join(f'"{c}"' for c in ("id", *columns))
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{temp}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f'INSERT INTO "{temp}" ({quoted}) VALUES ({placeholders})', rows)
        assignments = ", ".join(f'"{c}" = t."{c}"' for c in columns)
        cursor.execute(f'UPDATE "{table}" SET {assignments} FROM "{temp}" t WHERE "{table}"."id" = t."id"')
        cursor.execute(f'DROP TABLE "{temp}"')
    return len(rows)


def _python(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Polars gives dates as ``date``; SQLite's driver wants ISO text for them in the update table."""
    if connection.vendor == "postgresql":
        return row
    return tuple(v.isoformat() if type(v) is dt.date else v for v in row)
