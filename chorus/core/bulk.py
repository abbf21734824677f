"""Inserting and updating many rows in one statement, with the values bound on the server.

Django's ``bulk_update`` builds one ``CASE WHEN`` per row and column, and both it and
``bulk_create`` quote every value on the client: fine for a handful of rows, the largest
cost of the deposit pipeline for a batch of a hundred invoices. Here the values travel as typed
binary arrays (``unnest``), which need no escaping. The statements bypass Django's cursor
wrappers (query logging, audit context): use them only for writes that no audit trigger
records (the deposit pipeline's inserts, flow reports).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import psycopg
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models


def rows_insert(objs: Sequence[models.Model]) -> None:
    """Insert these new instances of one model in one statement and set their primary keys.

    Field defaults and ``pre_save`` (upload names, auto dates) apply as in ``bulk_create``;
    no signal is sent (none is used on the models this serves).
    """
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    pk = meta.pk
    assert pk is not None  # noqa: S101  (every concrete model has one)
    fields = [f for f in meta.local_concrete_fields if f is not pk]
    quote = connection.ops.quote_name
    arrays = [_column(field, [field.pre_save(obj, True) for obj in objs]) for field in fields]
    columns = ", ".join(quote(str(f.column)) for f in fields)
    arrays_sql = ", ".join(f"%b::{_array_element_type(f)}[]" for f in fields)
    casts = ", ".join(quote(str(f.column)) + _cast(f) for f in fields)
    statement = (
        f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608  (model names only)
        f"SELECT {casts} FROM unnest({arrays_sql}) AS v({columns}) "
        f"RETURNING {quote(str(pk.column))}"
    )
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(statement.encode(), arrays)
        for obj, (key,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = key
            obj._state.adding = False
            obj._state.db = connection.alias


def _column(field: models.Field[Any, Any], values: list[Any]) -> list[Any]:
    """Values ready for one column array, as Django would send them one by one.

    JSON columns travel as text (cast to jsonb in the statement): an array of psycopg JSON
    adapters has no binary form.
    """
    prepared = [field.get_db_prep_save(value, connection) for value in values]
    if isinstance(field, models.JSONField):
        return [_json_text(value) for value in prepared]
    return prepared


def _cast(field: models.Field[Any, Any]) -> str:
    return "::jsonb" if isinstance(field, models.JSONField) else ""


def _json_text(value: Any) -> str | None:
    """The JSON text of a value Django prepared for a JSON column (an adapter or a value)."""
    if value is None:
        return None
    inner = getattr(value, "obj", value)
    dumps = getattr(value, "dumps", None)
    if dumps is not None:
        return str(dumps(inner))
    return json.dumps(inner, cls=DjangoJSONEncoder)


def rows_update(
    model: type[models.Model], *, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Set ``columns`` of each row ``(pk, value, ...)``; return how many rows changed.

    Values are Python values, prepared by each field as Django would save them.
    """
    if not rows:
        return 0
    meta = model._meta
    pk = meta.pk
    assert pk is not None  # noqa: S101  (every concrete model has one)
    fields = [_concrete(meta.get_field(name)) for name in columns]
    arrays: list[list[Any]] = [[row[0] for row in rows]]
    for index, field in enumerate(fields, start=1):
        arrays.append(_column(field, [row[index] for row in rows]))
    quote = connection.ops.quote_name
    columns_sql = [quote(str(pk.column)), *(quote(str(f.column)) for f in fields)]
    types = [str(pk.db_type(connection)), *(_array_element_type(f) for f in fields)]
    sets = ", ".join(f"{quote(str(f.column))} = v.{quote(str(f.column))}{_cast(f)}" for f in fields)
    arrays_sql = ", ".join(f"%b::{t}[]" for t in types)
    statement = (
        f"UPDATE {quote(meta.db_table)} AS t SET {sets} "  # noqa: S608  (model names only)
        f"FROM unnest({arrays_sql}) AS v({', '.join(columns_sql)}) "
        f"WHERE t.{columns_sql[0]} = v.{columns_sql[0]}"
    )
    connection.ensure_connection()
    raw = connection.connection
    with psycopg.Cursor(raw) as cursor:
        # names and types come from the model, values are bound: no user text in the SQL
        cursor.execute(statement.encode(), arrays)
        return cursor.rowcount


def _array_element_type(field: models.Field[Any, Any]) -> str:
    if isinstance(field, models.JSONField):
        return "text"
    db_type = field.db_type(connection)
    assert db_type is not None  # noqa: S101  (only concrete columns are updated)
    return db_type


def _concrete(field: object) -> models.Field[Any, Any]:
    if not isinstance(field, models.Field) or not field.concrete:
        raise ValueError(f"{field} is not a column")
    return field
