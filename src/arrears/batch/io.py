"""Moving whole columns between the database and Polars: read a query into a frame, write a frame
back as inserts or as one set-based UPDATE. Never a Python loop of ORM saves.

Reads use the driver's cursor (``COPY … TO STDOUT`` is the next step on PostgreSQL if reading ever
dominates); writes go through ``core.bulk`` (COPY on PostgreSQL) and a temporary table joined in a
single ``UPDATE … FROM``, which both SQLite (3.33+) and PostgreSQL run set-based.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
from django.conf import settings
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


def yuan(column: str) -> pl.Expr:
    """A whole-fen column as exact yuan text ("-12.05"): no binary floating point on the way back."""
    fen = pl.col(column)
    sign = pl.when(fen < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    cents = (fen.abs() % 100).cast(pl.String).str.zfill(2)
    return pl.format("{}{}.{}", sign, fen.abs() // 100, cents).alias(column)


def day(column: str) -> str:
    """SQL for a date column that reads the same on both databases (SQLite's driver would otherwise
    hand some dates over as ``date`` and computed ones as text)."""
    return f"date({column})" if connection.vendor == "sqlite" else column


def days_since(column: str) -> str:
    """SQL for the whole days from a date column to the date given as its one parameter."""
    if connection.vendor == "postgresql":
        return f"(CAST(%s AS date) - {column})"
    return f"CAST(julianday(%s) - julianday({column}) AS INTEGER)"


def local_date(column: str) -> str:
    """SQL for the business-time-zone date (``TIME_ZONE``) of a timestamp column. SQLite knows no
    time zones: it shifts by the zone's offset now, exact for zones without summer time (China)."""
    zone = ZoneInfo(settings.TIME_ZONE)  # a valid zone name: safe inside the SQL
    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE '{zone.key}')::date"
    minutes = int(dt.datetime.now(zone).utcoffset().total_seconds() // 60)
    return f"date({column}, '{minutes:+d} minutes')"


def insert(model: type[models.Model], frame: pl.DataFrame, columns: Sequence[str] | None = None) -> int:
    """Insert the frame's rows (its columns named by the model's attnames)."""
    columns = list(columns or frame.columns)
    return bulk.insert(model, columns, list(frame.select(columns).iter_rows()))


def update(
    model: type[models.Model], frame: pl.DataFrame, columns: Sequence[str],
    unless_changed: Mapping[str, str] | None = None,
) -> int:  # fmt: skip
    """Set ``columns`` of the rows whose ``id`` is in the frame, in one statement.

    ``unless_changed`` (column → the frame's column holding the value read earlier) makes it a
    compare-and-set: a row someone changed since the read (a payment re-evaluated the case while the
    night ran) keeps its newer values. Returns the number of rows set.
    """
    if frame.is_empty():
        return 0
    guards = dict(unless_changed or {})
    table = model._meta.db_table
    types = {f.attname: f.db_type(connection) for f in model._meta.concrete_fields}
    rows = [driver_row(row) for row in frame.select("id", *columns, *guards.values()).iter_rows()]
    shape = {"id": "bigint", **{c: types[c] for c in columns}, **{g: types[c] for c, g in guards.items()}}
    same = "IS NOT DISTINCT FROM" if connection.vendor == "postgresql" else "IS"  # null-safe equality
    with connection.cursor() as cursor, temporary(cursor, f"tmp_{table}_update", shape, rows) as temp:
        assignments = ", ".join(f'"{c}" = t."{c}"' for c in columns)
        checks = "".join(f' AND "{table}"."{c}" {same} t."{g}"' for c, g in guards.items())
        cursor.execute(
            f'UPDATE "{table}" SET {assignments} FROM "{temp}" t WHERE "{table}"."id" = t."id"{checks}'
        )
        return cursor.rowcount


def delete_cases(model: type[models.Model], case_ids: pl.Series, where: str, params: Sequence[Any]) -> int:
    """Delete the rows of ``model`` matching ``where`` whose ``case_id`` is in ``case_ids`` (any
    number of them: through a temporary table, not a list of SQL parameters)."""
    table = model._meta.db_table
    rows = [(int(pk),) for pk in case_ids.to_list()]
    shape = {"id": "bigint"}
    with connection.cursor() as cursor, temporary(cursor, f"tmp_{table}_delete", shape, rows) as temp:
        chosen = f'"case_id" IN (SELECT "id" FROM "{temp}")'
        cursor.execute(f'DELETE FROM "{table}" WHERE {where} AND {chosen}', params)
        return cursor.rowcount


@contextmanager
def temporary(cursor: Any, temp: str, columns: dict[str, str], rows: list[tuple[Any, ...]]) -> Iterator[str]:
    """A temporary table ``temp`` with ``columns`` (name: SQL type) holding ``rows``, dropped after."""
    definitions = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
    quoted = ", ".join(f'"{name}"' for name in columns)
    cursor.execute(f'DROP TABLE IF EXISTS "{temp}"')
    cursor.execute(f'CREATE TEMPORARY TABLE "{temp}" ({definitions})')
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f'COPY "{temp}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
    else:
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f'INSERT INTO "{temp}" ({quoted}) VALUES ({placeholders})', rows)
    try:
        yield temp
    finally:
        cursor.execute(f'DROP TABLE "{temp}"')


def driver_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Polars gives dates as ``date``; SQLite's driver wants ISO text for them in the update table."""
    if connection.vendor == "postgresql":
        return row
    return tuple(v.isoformat() if type(v) is dt.date else v for v in row)
