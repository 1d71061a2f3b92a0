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
from django.db.models import Model, QuerySet
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

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
        self._model = build(**self._first).model
        # Per connection object: SQL and converters are the connection's (its backend, its ops).
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, **values) -> list[Model]:
        taken = {}
        for name, value in values.items():
            taken[name] = _as_value(value)
            if taken[name] is None:
                return list(self._build(**values))
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
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, tuple(params))
            rows = cursor.fetchall()
        return compiled.instances(rows, alias, connection)

    def _compile(self, connection) -> "_Compiled":
        first = self._build(**self._first)
        second = self._build(**self._second)
        if (
            first._db is not None
            or first._prefetch_related_lookups
            or first._known_related_objects
            or first._iterable_class is not ModelIterable
        ):
            raise NotCompilable("a plain queryset of model instances, without using()")
        compiler = first.query.get_compiler(connection=connection)
        try:
            sql, params = compiler.as_sql()
            second_sql, second_params = second.query.get_compiler(connection=connection).as_sql()
        except (EmptyResultSet, FullResultSet) as error:  # a lookup on a too small column
            raise NotCompilable("a value outside a column's range") from error
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
        if compiler.has_extra_select or compiler.annotation_col_map:
            raise NotCompilable("extra selected columns")
        select = compiler.select
        converters = [
            (position, tuple(functions), expression)
            for position, (functions, expression) in compiler.get_converters(
                [column for column, _, _ in select]
            ).items()
        ]
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            converters=converters,
            rows=_instance_maker(compiler.klass_info, select),
        )


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
    rows: _Instances

    def instances(self, rows: list, db: str, connection) -> list[Model]:
        converters = self.converters
        make = self.rows.make
        found = []
        for row in rows:
            row = list(row)
            for position, functions, expression in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            found.append(make(row, db))
        return found
