"""Written-out SQL for the few queries that run on every questionnaire request.

The ORM spends far longer building a query with joins (filters, aliases,
compilation) than SQLite or PostgreSQL take to answer it: 0.5 ms against
0.05 ms for the access-checked assessment that every questionnaire page and
autosave loads. For those few hot queries the SQL is written out, and
``JoinedModels`` reads the row back into model instances exactly as the ORM
would: the same columns, the same value converters (dates, JSON, booleans on
SQLite), related objects attached as ``select_related`` attaches them.

Everything else uses the ORM. Tests compare each written-out query's result
with its ORM equivalent, so a schema change cannot make them drift apart.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from django.db import connections
from django.db.models import Model


class JoinedModels:
    """Models read from one row of a join: ``JoinedModels((Assessment, "a"), (Organization, "o"))``.

    ``columns`` is the select list (every concrete field of each model, in
    order, qualified by its alias); ``read`` turns a row of those columns into
    one instance per model.
    """

    def __init__(self, *tables: tuple[type[Model], str]):
        self.tables = tables
        # Built on first use: the select list per database backend (quoting
        # differs); the converters per connection, as each thread has its own
        # and a converter may read its connection's settings (time zone).
        self._columns: dict[str, str] = {}
        self._converters: WeakKeyDictionary = WeakKeyDictionary()

    def columns(self, using: str = "default") -> str:
        connection = connections[using]
        columns = self._columns.get(connection.vendor)
        if columns is None:
            quote = connection.ops.quote_name
            columns = self._columns[connection.vendor] = ", ".join(
                f"{alias}.{quote(field.column)}"
                for model, alias in self.tables
                for field in model._meta.concrete_fields
            )
        return columns

    def read(self, row, using: str = "default") -> list[Model]:
        connection = connections[using]
        converters = self._converters.get(connection)
        if converters is None:
            ops = connection.ops
            converters = self._converters[connection] = [
                (col, ops.get_db_converters(col) + col.field.get_db_converters(connection))
                for model, alias in self.tables
                for col in (field.get_col(alias) for field in model._meta.concrete_fields)
            ]
        values = list(row)
        for i, (col, field_converters) in enumerate(converters):
            for convert in field_converters:
                values[i] = convert(values[i], col, connection)
        instances, start = [], 0
        for model, _ in self.tables:
            fields = model._meta.concrete_fields
            end = start + len(fields)
            instances.append(model.from_db(using, [f.attname for f in fields], values[start:end]))
            start = end
        return instances
