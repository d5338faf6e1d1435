"""The primitive registry: the single source of truth for every DSL primitive.

Each primitive is declared once, in its family module under `dsl/primitives/`, with the
`@primitive(...)` decorator: name (the function name), typed signature, cost, reference
implementation (the function itself: plain numpy, the semantics oracle), optional kernel
name (a string resolved in `native/` by `dsl.compile`), one-line doc (the docstring) and an
example. The type checker, interpreter, printer, enumerator, REPL help and LLM prompts all
read `default_registry()`; nothing else lists primitives by hand.
"""
from __future__ import annotations

import difflib
import importlib
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType, ModuleType
from typing import Any

from dsl.types import TCon, Type, parse_type

FAMILIES: tuple[str, ...] = (
    "geometry", "color", "objects", "sizing", "drawing", "counting", "logic", "patterns",
)

LAZY_PRIMITIVES: frozenset[str] = frozenset({"branch"})
"""Primitives the evaluators (`dsl.interp`, `dsl.compile`) run as special forms when called by
name: `branch(cond, then, otherwise)` evaluates `cond`, then only the alternative it selects.
Each evaluator implements the form in one place (`branch_form`); the registered reference
function is still what a primitive named as a value calls (strictly: its arguments are values).
"""


@dataclass(frozen=True)
class Param:
    """A parameter: name, type, optional finite domain (for enumeration) and default."""

    name: str
    type: Type
    domain: tuple[Any, ...] | None = None
    default: Any = inspect.Parameter.empty

    @property
    def has_default(self) -> bool:
        """True when the parameter may be omitted (it then takes its default)."""
        return self.default is not inspect.Parameter.empty


@dataclass(frozen=True)
class Primitive:
    """One DSL primitive; calling it calls the reference implementation."""

    name: str
    family: str
    params: tuple[Param, ...]
    returns: Type
    fn: Callable[..., Any] = field(repr=False)
    cost: int = 1
    doc: str = ""
    example: str = ""
    kernel: str | None = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    @property
    def type(self) -> TCon:
        """The primitive as a function type `(params) -> returns`."""
        return TCon("Fn", (*(p.type for p in self.params), self.returns))

    @property
    def signature(self) -> str:
        """Human-readable signature, e.g. `objects(grid: Grid, connect: Int = 4) -> Objects`."""
        parts = []
        for p in self.params:
            default = f" = {p.default!r}" if p.has_default else ""
            parts.append(f"{p.name}: {p.type}{default}")
        return f"{self.name}({', '.join(parts)}) -> {self.returns}"


def primitive(signature: str, *, cost: int = 1, example: str = "", kernel: str | None = None,
              domains: Mapping[str, tuple[Any, ...]] | None = None
              ) -> Callable[[Callable[..., Any]], Primitive]:
    """Declare a primitive: `@primitive("(Grid, Color) -> Grid", example="...")`."""
    fn_type = parse_type(signature)
    if not (isinstance(fn_type, TCon) and fn_type.name == "Fn"):
        raise ValueError(f"primitive signature must be a function type: {signature!r}")
    *param_types, returns = fn_type.args
    domains = dict(domains or {})

    def wrap(fn: Callable[..., Any]) -> Primitive:
        sig = inspect.signature(fn)
        names = list(sig.parameters)
        if len(names) != len(param_types):
            raise ValueError(f"{fn.__name__}: {len(names)} parameters but signature has "
                             f"{len(param_types)}")
        params = tuple(Param(n, t, domains.get(n), sig.parameters[n].default)
                       for n, t in zip(names, param_types))
        family = fn.__module__.rsplit(".", 1)[-1]
        doc = inspect.getdoc(fn) or ""
        return Primitive(fn.__name__.rstrip("_"), family, params, returns, fn, cost,
                         doc.splitlines()[0] if doc else "", example, kernel)

    return wrap


class Registry:
    """An immutable name -> Primitive mapping with lookup helpers."""

    def __init__(self, prims: Iterable[Primitive]) -> None:
        table: dict[str, Primitive] = {}
        for prim in prims:
            if prim.name in table:
                raise ValueError(f"primitive {prim.name!r} declared twice")
            table[prim.name] = prim
        self._table: Mapping[str, Primitive] = MappingProxyType(table)

    def __getitem__(self, name: str) -> Primitive:
        return self._table[name]

    def __contains__(self, name: object) -> bool:
        return name in self._table

    def __iter__(self) -> Iterator[Primitive]:
        return iter(self._table.values())

    def __len__(self) -> int:
        return len(self._table)

    def get(self, name: str) -> Primitive | None:
        """The primitive called `name`, or None."""
        return self._table.get(name)

    def names(self) -> list[str]:
        """All primitive names in declaration order."""
        return list(self._table)

    def family(self, family: str) -> list[Primitive]:
        """The primitives of one family."""
        return [p for p in self._table.values() if p.family == family]

    def suggest(self, name: str) -> str | None:
        """The closest known name to a misspelt one, if any is close."""
        close = difflib.get_close_matches(name, self._table, n=1, cutoff=0.6)
        return close[0] if close else None

    def extended(self, prims: Iterable[Primitive]) -> "Registry":
        """A new registry with extra primitives (e.g. user definitions from the REPL)."""
        return Registry([*self._table.values(), *prims])


def primitives_in(module: ModuleType) -> list[Primitive]:
    """The Primitive objects a family module declares, in declaration order."""
    return [v for v in vars(module).values()
            if isinstance(v, Primitive) and v.fn.__module__ == module.__name__]


@cache
def default_registry() -> Registry:
    """The registry of every built-in primitive, from all family modules."""
    prims: list[Primitive] = []
    for family in FAMILIES:
        module = importlib.import_module(f"dsl.primitives.{family}")
        prims.extend(primitives_in(module))
    return Registry(prims)
