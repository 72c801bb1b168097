"""Model instances from hand-written SQL, built as Django's compiler builds them.

The public article page runs the same few fixed-shape statements on every
request. Building them with the ORM (resolving lookups, joins, annotations)
takes several times as long as the database takes to answer them, so the
hottest ones are written as parameterised SQL. `Columns` keeps that SQL
honest: the column list comes from the model's metadata (so a new field is
read without anyone editing the statement), and each value goes through the
converters the ORM would apply (SQLite returns dates as text, StreamField
parses its JSON, and so on) before `Model.from_db` builds the instance.
"""

import sqlite3
from functools import cache

from django.db import connections
from django.db.models import Model


class Columns:
    """The concrete columns of `model` in a SELECT list, and their reader.

    `aliases` names the SQL alias of each table the model's fields live in:
    a multi-table child (an ArticlePage) reads its parent's fields (Page)
    from the parent's table.
    """

    def __init__(
        self,
        model: type[Model],
        aliases: dict,
        using: str = "default",
        names: tuple[str, ...] | None = None,
    ):
        """`names` picks some fields (by attname), in that order; `build`
        then needs every field of the model it builds."""
        connection = connections[using]
        quote = connection.ops.quote_name
        self.model = model
        self.using = using
        self.fields = list(model._meta.concrete_fields)
        if names is not None:
            by_name = {f.attname: f for f in self.fields}
            self.fields = [by_name[name] for name in names]
        self.names = [f.attname for f in self.fields]
        self.sql = ", ".join(
            f"{aliases[f.model]}.{quote(f.column)}" for f in self.fields
        )
        self.converters = []
        for i, f in enumerate(self.fields):
            col = f.get_col(aliases[f.model])
            funcs = connection.ops.get_db_converters(col) + col.get_db_converters(
                connection
            )
            if funcs:
                self.converters.append(
                    (i, col, funcs, _keeps_none(funcs, col, connection))
                )

    def __len__(self) -> int:
        return len(self.fields)

    def values(self, row, connection=None) -> list:
        """The row's values (the first `len(self)` items), converted."""
        values = list(row[: len(self.fields)])
        connection = connection or connections[self.using]
        for i, col, funcs, keeps_none in self.converters:
            value = values[i]
            if value is None and keeps_none:
                continue
            for func in funcs:
                value = func(value, col, connection)
            values[i] = value
        return values

    def build(self, row, model: type[Model] | None = None, connection=None) -> Model:
        """An instance of the model (or of `model`, a parent whose fields
        come first) from the start of `row`."""
        model = model or self.model
        values = self.values(row, connection)
        count = len(model._meta.concrete_fields)
        return model.from_db(self.using, self.names[:count], values[:count])


def _keeps_none(funcs, col, connection) -> bool:
    """Whether these converters turn NULL into None (most do; StreamField
    turns it into an empty stream), so a NULL can skip them."""
    value = None
    for func in funcs:
        try:
            value = func(value, col, connection)
        except Exception:  # noqa: BLE001 (a converter that needs a value)
            return False
    return value is None


@cache
def columns(
    model: type[Model],
    aliases: tuple,
    using: str = "default",
    names: tuple[str, ...] | None = None,
) -> Columns:
    """A `Columns` for the model, built once per process (metadata only).

    `aliases` is a tuple of (model, alias) pairs, so it can key the cache.
    """
    return Columns(model, dict(aliases), using, names)


def fetch(sql: str, params, using: str = "default") -> list[tuple]:
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def param_limit(using: str = "default") -> int | None:
    """How many parameters one statement may pass: SQLite's own limit as the
    connection reports it (Django's `max_query_params` is a conservative
    999, which would split a 1,000-passage article's lookups in two);
    None when the database has no limit worth a split (PostgreSQL)."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        try:
            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except AttributeError:  # a sqlite3 module without getlimit()
            pass
    return connection.features.max_query_params


def chunks(values: list, using: str = "default", reserved: int = 0) -> list[list]:
    """`values` split so that no statement passes more parameters than the
    database allows (`param_limit`)."""
    limit = param_limit(using)
    if not limit:
        return [values] if values else []
    size = max(1, limit - reserved)
    return [values[i : i + size] for i in range(0, len(values), size)]


def in_bulk(model: type[Model], ids, using: str = "default") -> dict:
    """`model.objects.order_by().in_bulk(ids)` as plain SQL: {pk: instance}."""
    connection = connections[using]
    quote = connection.ops.quote_name
    cols = columns(model, ((model, "t"),), using)
    found = {}
    for part in chunks(sorted(ids), using):
        sql = (
            f"SELECT {cols.sql} FROM {quote(model._meta.db_table)} t "  # noqa: S608
            f"WHERE t.{quote(model._meta.pk.column)} "
            f"IN ({', '.join(['%s'] * len(part))})"
        )
        for row in fetch(sql, part, using):
            instance = cols.build(row, connection=connection)
            found[instance.pk] = instance
    return found
