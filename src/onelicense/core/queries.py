"""A read the ORM compiles once and then runs many times with new parameters.

For the few reads on a hot public path (the QR code's live check), building and compiling the
queryset costs several times what the database spends answering it. A `CompiledRead` is written
as an ordinary `.values()` queryset whose filter values are named parameters, each given a
sample value that appears nowhere else in the query. The first run on a database compiles it
(SQL, parameter positions, the field converters the ORM would apply); later runs only execute.
The SQL text never changes, so PostgreSQL's prepared statements (`server_side_binding` in
settings) take over after a few runs.

With `binary=True`, PostgreSQL sends the rows in its binary format: numbers, dates and times
travel as their values rather than as text to print on one side and parse on the other, which
spares CPU on both. The values read back are the same, except JSON (psycopg decodes binary
jsonb itself, and the ORM would then decode it again): a binary read selects JSON as text.
SQLite has one format; there the flag does nothing.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from psycopg.pq import Format


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: dict[str, int]  # placeholder name → position in params
    names: tuple[str, ...]
    converters: list[tuple[int, tuple[list[Any], Any]]]


class CompiledRead:
    """`build(**samples)` returns a `.values(*names)` queryset; `rows(**values)` runs it."""

    def __init__(
        self,
        build: Callable[..., QuerySet[Any, dict[str, Any]]],
        *,
        binary: bool = False,
        **samples: Any,
    ) -> None:
        self._build = build
        self._binary = binary
        self._samples = samples
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> _Compiled:
        marks = self._samples
        queryset = self._build(**marks)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        positions = {slot: [i for i, p in enumerate(params) if p == marks[slot]] for slot in marks}
        if any(len(found) != 1 for found in positions.values()):
            raise ValueError(f"each sample value must appear once in the query: {positions}")
        names = (*queryset.query.values_select, *queryset.query.annotation_select)
        fields = [column for column, _, _ in compiler.select[: compiler.col_count]]
        if len(fields) != len(names):
            raise ValueError("a compiled read selects plain fields and annotations only")
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots={slot: found[0] for slot, found in positions.items()},
            names=names,
            converters=list(compiler.get_converters(fields).items()),
        )

    def rows(self, *, using: str = "default", **values: Any) -> list[dict[str, Any]]:
        compiled = self._compiled.get(using)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.setdefault(using, self._compile(using))
        params = list(compiled.params)
        for slot, position in compiled.slots.items():
            params[position] = values[slot]
        connection = connections[using]
        with connection.cursor() as cursor:
            if self._binary and connection.vendor == "postgresql":
                cursor.cursor.format = Format.BINARY  # this cursor's results only
            cursor.execute(compiled.sql, params)
            rows = [list(row) for row in cursor.fetchall()]
        for row in rows:  # what the ORM's compiler would do: JSON, dates, time zones
            for position, (converters, expression) in compiled.converters:
                for convert in converters:
                    row[position] = convert(row[position], expression, connection)
        return [dict(zip(compiled.names, row, strict=True)) for row in rows]
