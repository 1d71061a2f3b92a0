"""Querysets compiled to SQL once per connection, then run with new values.

Django compiles a queryset to SQL each time it is evaluated: for a topic page's two hot reads
that took several times as long as the database took to answer. A CompiledQuery builds its
queryset with stand-in values, compiles it for the connection it is about to run on, finds
where the stand-ins went among the SQL's parameters, and from then on runs that SQL on that
connection with the caller's values in their places, building model instances as Django's
ModelIterable does (select_related ones included).

Nothing read is kept: every call runs its query. What is kept is the SQL text and the
compiler's description of its columns, a function of the queryset's shape and the connection
alone. Each connection (Django has one per thread and alias) compiles its own copy, and the
alias is asked of the database router on every call, as an unpinned queryset does (replicas).
Queries go through the connection's cursor wrapper, so they are counted, logged and captured
as any other (CaptureQueriesContext, execute_wrapper).

Besides model instances, a CompiledQuery runs values_list() querysets (tuples, or flat values)
of plain fields; a CompiledAggregate runs a queryset's aggregate() or count() (count is the
aggregate {"__count": Count("*")}, as Django makes it), when Django would aggregate the rows in
the query itself (no slice, DISTINCT, GROUP BY or aggregate annotations: those it wraps in a
subquery, which is refused).

Values are integers from 0 to 2**31 - 1 (ids, post numbers), or strings of up to 10 ASCII
digits (URL patterns' ids), which an integer column's lookup turns into their int: Django
compiles a lookup on a value outside the column's range to no condition, or to no query, so
such a value takes Django's path, as does anything else.

Django internals relied on, all here (checked against Django 5.2; tests/test_compiled_queries.py
compares the results with Django's own for every query the project compiles):
- SQLCompiler.as_sql(), .select, .klass_info, .annotation_col_map, .has_extra_select and
  .get_converters(), which ModelIterable and RelatedPopulator read the same way;
- klass_info's keys: model, select_fields, related_klass_infos, from_parent, local_setter,
  remote_setter;
- QuerySet._db, ._prefetch_related_lookups, ._known_related_objects, ._iterable_class (only
  to refuse querysets this does not handle);
- Query.get_aggregation(using, aggregates), which asks the query's get_compiler() for the
  compiler it executes: an aggregate is compiled by that call, on a copy of the query whose
  get_compiler hands the compiler back instead of running it (Query.select, .default_cols
  and .annotation_select then say which path it took);
- how Model.from_db builds an instance: ModelState with adding False and db set, each fetched
  column's value under its attname in __dict__, columns not fetched absent (deferred).
"""

import inspect
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, router
from django.db.models import Count, Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.expressions import Col
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesListIterable
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

# What QuerySet.count() takes of its query (a CompiledAggregate's build returns it for a count).
COUNT = {"__count": Count("*")}
# The values a lookup on any integer column compiles alike (PositiveIntegerField: 0 to 2**31-1).
MAX_VALUE = 2**31 - 1
# Two sets of stand-ins, unlike any value a query of this project holds as a constant: the
# places where the first set's values turned into the second's are the caller's values' places.
_FIRST_STAND_INS = (2_011_733_951, 2_011_733_953, 2_011_733_957, 2_011_733_959)
_SECOND_STAND_INS = (2_013_944_171, 2_013_944_173, 2_013_944_177, 2_013_944_179)
# Attributes Model.__init__ sets as plain instance values (a FileField's descriptor wraps the
# stored name when read, as it does after __init__): an instance can be filled in directly.
_PLAIN_ATTRIBUTES = (DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor)


class NotCompilable(Exception):
    """The queryset cannot be run this way (a programming error: fix the builder)."""


def _as_value(value) -> int | None:
    """The value as the SQL takes it, or None for Django's path. A string of digits (an id
    from a URL pattern) becomes its int, as an integer field's lookup makes it."""
    if type(value) is str and value.isascii() and value.isdigit() and len(value) <= 10:
        value = int(value)
    if type(value) is int and 0 <= value <= MAX_VALUE:
        return value
    return None


class CompiledQuery:
    """`build(**values)` returns the queryset; calling this with the same keywords returns
    list(build(**values)), without compiling it again. `build`'s keywords are the values that
    change from call to call; everything else about the queryset (filters, LIMIT and OFFSET,
    select_related, defer) must be the same on every call: a builder per shape."""

    def __init__(self, build: Callable[..., QuerySet]):
        self._build = build
        self._names = tuple(inspect.signature(build).parameters)
        if len(self._names) > len(_FIRST_STAND_INS):
            raise NotCompilable(f"at most {len(_FIRST_STAND_INS)} values")
        count = len(self._names)
        self._first = dict(zip(self._names, _FIRST_STAND_INS[:count], strict=True))
        self._second = dict(zip(self._names, _SECOND_STAND_INS[:count], strict=True))
        built = build(**self._first)
        self._model = (built[0] if isinstance(built, tuple) else built).model
        # Per connection object: SQL and converters are the connection's (its backend, its ops).
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, **values) -> list:
        prepared = self._prepared(values)
        if prepared is None:
            return list(self._build(**values))
        compiled, params, alias, connection = prepared
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return compiled.instances(rows, alias, connection)

    def _prepared(self, values: dict) -> tuple | None:
        """The compiled query for the router's connection and its parameters with these values,
        or None when a value takes Django's path."""
        taken = {}
        for name, value in values.items():
            taken[name] = _as_value(value)
            if taken[name] is None:
                return None
        alias = router.db_for_read(self._model)
        connection = connections[alias]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compile(connection)
            with self._lock:
                self._compiled[connection] = compiled
        params = list(compiled.params)
        for position, name, adapted in compiled.slots:
            value = taken[name]
            params[position] = value if adapted is int else adapted(value)
        return compiled, tuple(params), alias, connection

    def _compile(self, connection) -> "_Compiled":
        first = self._build(**self._first)
        second = self._build(**self._second)
        iterable = first._iterable_class
        if (
            first._db is not None
            or first._prefetch_related_lookups
            or first._known_related_objects
            or iterable not in (ModelIterable, ValuesListIterable, FlatValuesListIterable)
        ):
            raise NotCompilable("a plain queryset of instances or values_list(), without using()")
        compiler, sql, params = self._compiler(first, connection)
        _, second_sql, second_params = self._compiler(second, connection)
        slots = self._slots(sql, params, second_sql, second_params)
        # values_list() names its fields in annotation_col_map; nothing else may be selected.
        if (
            compiler.has_extra_select
            or first.query.annotations
            or (iterable is ModelIterable and compiler.annotation_col_map)
            or not all(isinstance(column, Col) for column, _, _ in compiler.select)
        ):
            raise NotCompilable("extra selected columns")
        select = compiler.select
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            converters=_converters(compiler, [column for column, _, _ in select]),
            rows=_instance_maker(compiler.klass_info, select)
            if iterable is ModelIterable
            else None,
            flat=iterable is FlatValuesListIterable,
        )

    def _compiler(self, queryset: QuerySet, connection) -> tuple:
        compiler = queryset.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet) as error:  # a lookup on a too small column
            raise NotCompilable("a value outside a column's range") from error
        return compiler, sql, params

    def _slots(self, sql: str, params, second_sql: str, second_params) -> tuple:
        """Where each value goes among the parameters: (position, value's name, int type)."""
        if sql != second_sql or len(params) != len(second_params):
            raise NotCompilable("the SQL changes with the values")
        first_names = {value: name for name, value in self._first.items()}
        second_names = {value: name for name, value in self._second.items()}
        slots = []
        for position, (value, second_value) in enumerate(zip(params, second_params, strict=True)):
            if value == second_value:
                continue  # a constant of the query
            # The backend's adapted int (psycopg's Int4 for an IntegerField on PostgreSQL),
            # made again from each call's value.
            adapted = type(value)
            name = first_names.get(value) if issubclass(adapted, int) else None
            if (
                name is None
                or second_names.get(second_value) != name
                or type(second_value) is not adapted
                or adapted is bool
            ):
                raise NotCompilable(f"parameter {position} changes unlike the values")
            slots.append((position, name, adapted))
        if {slot[1] for slot in slots} != set(self._names):
            raise NotCompilable("a value is not among the SQL's parameters")
        return tuple(slots)


class _CompilerFound(Exception):
    """Raised by a query's stand-in get_compiler(), carrying the compiler Django asked for."""

    def __init__(self, compiler):
        self.compiler = compiler


class CompiledAggregate(CompiledQuery):
    """`build(**values)` returns a queryset and the aggregates to take of it; calling this with
    the same keywords returns queryset.aggregate(**aggregates), without compiling it again.
    For count(), take COUNT and read "__count", as QuerySet.count() does."""

    def __init__(self, build: Callable[..., tuple[QuerySet, dict]]):
        self._build_both = build
        super().__init__(build)

    def __call__(self, **values) -> dict:
        prepared = self._prepared(values)
        row = None
        if prepared is not None:
            compiled, params, _, connection = prepared
            with connection.cursor() as cursor:
                cursor.execute(compiled.sql, params)
                row = cursor.fetchone()
        if row is None:  # a value for Django's path (never no row without GROUP BY)
            queryset, aggregates = self._build_both(**values)
            return queryset.aggregate(**aggregates)
        return compiled.aggregates(row, connection)

    def _compile(self, connection) -> "_CompiledAggregate":
        first, aggregates = self._build_both(**self._first)
        second, second_aggregates = self._build_both(**self._second)
        if first._db is not None or first._iterable_class is not ModelIterable:
            raise NotCompilable("a plain queryset, without using()")
        if list(aggregates) != list(second_aggregates) or not aggregates:
            raise NotCompilable("the aggregates' names change with the values")
        query, compiler, sql, params = self._aggregation(first, aggregates, connection)
        _, _, second_sql, second_params = self._aggregation(second, second_aggregates, connection)
        slots = self._slots(sql, params, second_sql, second_params)
        names = tuple(query.annotation_select)
        return _CompiledAggregate(
            sql=sql,
            params=tuple(params),
            slots=slots,
            names=names,
            converters=_converters(compiler, list(query.annotation_select.values())),
            width=compiler.col_count,
        )

    def _aggregation(self, queryset: QuerySet, aggregates: dict, connection) -> tuple:
        """The compiler Query.get_aggregation() executes, as QuerySet.aggregate() calls it."""
        query = queryset.query.chain()

        def get_compiler(using=None, connection=None, elide_empty=True):
            raise _CompilerFound(
                type(query).get_compiler(query, using, connection, elide_empty=elide_empty)
            )

        query.get_compiler = get_compiler
        try:
            query.get_aggregation(connection.alias, dict(aggregates))
        except _CompilerFound as found:
            compiler = found.compiler
        else:
            raise NotCompilable("Django did not compile the aggregate")  # pragma: no cover
        # The aggregate in the query itself: nothing selected but the aggregates. (Wrapped in a
        # subquery, the query is left selecting its columns; its compiler is the inner one.)
        if (
            compiler.query is not query
            or query.select != ()
            or query.default_cols
            or tuple(query.annotation_select) != tuple(aggregates)
        ):
            raise NotCompilable("an aggregate over a subquery")
        if connection is not compiler.connection:
            raise NotCompilable("compiled for another connection")  # pragma: no cover
        try:
            sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet) as error:
            raise NotCompilable("a value outside a column's range") from error
        return query, compiler, sql, params


def _converters(compiler, expressions: list) -> list[tuple[int, tuple, object]]:
    return [
        (position, tuple(functions), expression)
        for position, (functions, expression) in compiler.get_converters(expressions).items()
    ]


@dataclass(frozen=True)
class _Instances:
    """How to make one model's instances from a row: its columns, and those it selects related."""

    model: type[Model]
    columns: slice
    attnames: tuple[str, ...]
    pk_index: int
    direct: bool  # filled in directly, else through Model.from_db
    related: tuple["_Instances", ...]
    local_setter: Callable | None
    remote_setter: Callable | None

    def make(self, row: list, db: str) -> Model:
        values = row[self.columns]
        if self.direct:
            instance = object.__new__(self.model)
            state = ModelState()
            state.adding = False
            state.db = db
            attributes = instance.__dict__
            attributes["_state"] = state
            attributes.update(zip(self.attnames, values, strict=True))
        else:
            instance = self.model.from_db(db, self.attnames, values)
        for related in self.related:
            related.populate(row, instance, db)
        return instance

    def populate(self, row: list, holder: Model, db: str) -> None:
        """As RelatedPopulator.populate: the related instance (or None) on both sides."""
        if row[self.columns][self.pk_index] is None:
            self.local_setter(holder, None)
            return
        instance = self.make(row, db)
        self.local_setter(holder, instance)
        self.remote_setter(instance, holder)


def _instance_maker(klass_info: dict, select: list, *, top: bool = True) -> _Instances:
    if klass_info.get("from_parent"):
        raise NotCompilable("select_related into a parent model (multi-table inheritance)")
    fields = klass_info["select_fields"]
    model = klass_info["model"]
    columns = slice(fields[0], fields[-1] + 1)
    attnames = tuple(column.target.attname for column, _, _ in select[columns])
    if list(range(columns.start, columns.stop)) != list(fields):
        raise NotCompilable("a model's columns are not side by side")
    direct = (
        model.__init__ is Model.__init__
        and model.from_db.__func__ is Model.from_db.__func__
        and not pre_init.has_listeners(model)
        and not post_init.has_listeners(model)
        and all(
            type(inspect.getattr_static(model, attname, None)) in _PLAIN_ATTRIBUTES
            for attname in attnames
        )
    )
    return _Instances(
        model=model,
        columns=columns,
        attnames=attnames,
        pk_index=attnames.index(model._meta.pk.attname),
        direct=direct,
        related=tuple(
            _instance_maker(info, select, top=False)
            for info in klass_info.get("related_klass_infos", ())
        ),
        local_setter=None if top else klass_info["local_setter"],
        remote_setter=None if top else klass_info["remote_setter"],
    )


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[int, str, type], ...]  # position, value's name, int type
    converters: list[tuple[int, tuple, object]]
    rows: _Instances | None  # None: values_list() rows
    flat: bool = False

    def instances(self, rows: list, db: str, connection) -> list:
        converters = self.converters
        found = []
        if self.rows is None and not converters:
            if self.flat:
                return [row[0] for row in rows]
            return [tuple(row) for row in rows]
        make = self.rows.make if self.rows is not None else None
        for row in rows:
            row = list(row)
            for position, functions, expression in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            if make is not None:
                found.append(make(row, db))
            elif self.flat:
                found.append(row[0])
            else:
                found.append(tuple(row))
        return found


@dataclass(frozen=True)
class _CompiledAggregate:
    sql: str
    params: tuple
    slots: tuple[tuple[int, str, type], ...]
    names: tuple[str, ...]
    converters: list[tuple[int, tuple, object]]
    width: int

    def aggregates(self, row, connection) -> dict:
        row = list(row[: self.width])
        for position, functions, expression in self.converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        return dict(zip(self.names, row, strict=True))
