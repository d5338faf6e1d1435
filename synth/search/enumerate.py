"""Bottom-up, cost-bucketed, type-directed enumeration over the registry.

Primitives are called through their compiled fast paths where they exist
(`dsl.kernels.implementation`), the reference implementations elsewhere; object
segmentations and the pattern repairs (`dsl.kernels.MEMO_KERNELS`: `complete_symmetry`,
`repair_tiling`) remember their results per argument content within one enumeration
(`dsl.kernels.memoised`, `MEMO_BYTES` each).

Every value is a `Node` holding its results on all train **and** test inputs, so programs
with equal behaviour merge (observational equivalence, keyed by type and content). Level `c`
holds the nodes whose calls' costs sum to `c`; a call at level `c` combines argument nodes
whose costs sum to `c` minus the primitive's cost (literals, function values and the input `I`
cost 0). A primitive's cost is 1 unless the caller passes per-primitive costs
(`synth.search.costs`: a PCFG prior or a guide model's per-task probabilities). Grid nodes
that reproduce every train output are reported as solutions as soon as they are built; the
closest partial matches are kept for fallback attempts. The bank's memory is bounded: the
seen-set holds hashes, and past `EnumConfig.max_bank_mb` new nodes are still
yielded but no longer stored as arguments (`Bank`).

Seeds (`Enumerator.seed`): nodes built elsewhere (the native closure's values, with their
DSL expressions and a cost) join the bank after their cost's own level and are yielded like
built nodes, so later levels take them as arguments; an equal value built at that cost or
lower keeps the enumerator's node. Without seeds the enumeration is unchanged.

Task hints (`synth.search.options.TaskHints`) add the task's integers to the literals tried
for size-like parameters without a registry domain, and steer by output shape: the literal
choices of a primitive that, applied to the input at level 1, give every example's expected
output shape are enumerated first (all argument nodes with those literals, then the rest) at
the later levels.

Per call, the overhead around the primitive is kept small without changing what is
enumerated: values are keyed by a native 64-bit content hash (`dsl.values.value_hash`, the
equality of `value_key`), and a primitive whose parameter types are all closed (no type
variables, no functions) gets its argument tuples from nested loops over per-cost option
lists, the same tuples in the same order as the general unifying recursion
(`Enumerator.recursive_combos`, which the tests hold it to). The primitive is called on the
examples through `map` over the argument nodes' value columns, and a stored node's bytes are
counted natively (`dsl.values.value_nbytes`).
"""
from __future__ import annotations

import gc
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from dsl import ast
from dsl.errors import EvalError
from dsl.kernels import MEMO_KERNELS, implementation, memoised
from dsl.registry import Param, Primitive, Registry, default_registry
from dsl.types import (BOOL, COLOR, GRID, INT, TCon, Type, TVar, free_vars, rename_vars, resolve,
                       unify)
from dsl.values import CONTAINER_OVERHEAD, value_hash, value_nbytes
from synth.search.options import Node, TaskHints, function_options, literal_options

SCALARS = (COLOR, INT, BOOL)
MAX_SIDE = 60
Stop = Callable[[int], bool]
MAX_ITEMS = 100
NODE_OVERHEAD = 2048  # bytes per stored node beyond its values (calibrated with tracemalloc)
MEMO_BYTES = 32 * 2**20  # per memoised primitive (`dsl.kernels.MEMO_KERNELS`) and enumeration
FREEZE_EVERY = 512  # new nodes between two `gc.freeze` calls while an enumeration runs (`run`)
LiteralSet = tuple[tuple[int, Any], ...]
DEFAULT_EXCLUDE = frozenset({
    "identity", "apply", "compose", "iterate", "fold", "branch", "range", "pair",
    "pair_first", "pair_second", "canvas", "crop", "cell", "point", "hline", "vline", "line",
    "ray", "ray_until", "flood_fill", "move", "move_to", "take", "nth", "mul", "div",
    "mod", "add", "sub", "min2", "max2", "half", "double", "color_to_int", "int_to_color",
    "upscale_hw", "map_colors", "local_rule", "recolor_objects", "cast_rays", "move_objects",
    "paint_boxes", "part_rule", "across_parts", "sweep_rule",
})


# Literal domains the enumerator narrows: small shifts, and `drop` only of the first item
# ("all but the largest", "the colours but the most common one").
NARROW_DOMAINS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("shift.dr", (-1, 0, 1)), ("shift.dc", (-1, 0, 1)),
    ("roll.dr", (-1, 0, 1)), ("roll.dc", (-1, 0, 1)),
    ("drop.n", (1,)),
)


@dataclass(frozen=True)
class _CallPlan:
    """How to call one primitive from enumerated arguments, worked out once per enumeration:
    the implementation, each parameter's argument slot (None: its default column), which
    slots are printed positionally and which as keywords (with their names), the return type
    with renamed variables (and whether it has none, so needs no substitution), the cost, and
    whether the call's arguments are exactly the slots in order (no default columns)."""

    name: str
    fn: Callable[..., Any]
    slot_of: tuple[int | None, ...]
    default_columns: tuple[tuple[Any, ...] | None, ...]
    positional: tuple[int, ...]
    keywords: tuple[tuple[str, int], ...]
    returns: Type
    closed: bool
    cost: int
    direct: bool


@dataclass(frozen=True)
class EnumConfig:
    """Limits of one enumeration: depth (calls), nodes, combinations per call, the MiB the
    bank may hold in nodes kept as arguments for later calls (`Bank.max_bytes`; None: no
    cap), exclusions."""

    max_cost: int = 4
    max_nodes: int = 300_000
    max_bank_mb: int | None = 1024
    max_combos_per_split: int = 4_000
    exclude: frozenset[str] = DEFAULT_EXCLUDE
    narrow_domains: tuple[tuple[str, tuple[int, ...]], ...] = NARROW_DOMAINS


@dataclass
class EnumStats:
    """What an enumeration did."""

    nodes: int = 0
    evaluations: int = 0
    duplicates: int = 0
    errors: int = 0
    unstored: int = 0  # new values checked but not kept as arguments (the bank was full)
    seeded: int = 0  # seed nodes that joined the bank (`Enumerator.seed`)
    level_reached: int = 0
    seconds: float = 0.0
    first_found: tuple[int, int] | None = None  # (nodes, evaluations) at the first solution

    def found(self) -> None:
        """Note the work done when the first solution turned up (later calls do nothing)."""
        if self.first_found is None:
            self.first_found = (self.nodes, self.evaluations)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready stats, with values/s, dedup rate and the work to the first solution."""
        return {"nodes": self.nodes, "evaluations": self.evaluations,
                "duplicates": self.duplicates, "errors": self.errors,
                "unstored": self.unstored, "seeded": self.seeded,
                "level_reached": self.level_reached, "seconds": round(self.seconds, 3),
                "values_per_s": round(self.evaluations / self.seconds) if self.seconds else 0,
                "dedup_rate": round(self.duplicates / self.evaluations, 3)
                if self.evaluations else 0.0,
                "nodes_to_first": self.first_found[0] if self.first_found else None,
                "evaluations_to_first": self.first_found[1] if self.first_found else None}


@dataclass
class Bank:
    """Nodes by type and cost, with the seen-set for observational equivalence.

    The seen-set holds `(type, value_hash of the values)`: a native 64-bit content hash with
    `value_key`'s equality, not the values' bytes, so it costs ~130 bytes per value instead of
    a second copy of every grid (two different values merging by a hash collision is a ~1e-8
    event per task, and only skips a value).
    Stored nodes are counted in bytes (`value_nbytes` of their values plus `NODE_OVERHEAD` for
    the node, its expression and its seen-set entry); past `max_bytes` new nodes are still
    marked seen (and yielded by the enumerator, so they are checked) but no longer stored as
    arguments of later calls, which caps the bank's memory.
    """

    max_bytes: int | None = None
    by_type: dict[Type, dict[int, list[Node]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    seen: set[tuple[Type, int]] = field(default_factory=set)
    stored_bytes: int = 0

    @staticmethod
    def key(node_type: Type, values: tuple[Any, ...]) -> tuple[Type, int]:
        """The seen-set key of a value of `node_type`."""
        return node_type, value_hash(values)

    @property
    def full(self) -> bool:
        """Whether the stored values have reached the byte cap."""
        return self.max_bytes is not None and self.stored_bytes >= self.max_bytes

    def add(self, node: Node) -> bool:
        """Add a node unless an equal one exists; True when it was new."""
        key = self.key(node.type, node.values)
        if key in self.seen:
            return False
        self.insert(key, node)
        return True

    def insert(self, key: tuple[Type, int], node: Node) -> bool:
        """Mark a node whose key is not in `seen` yet as seen, and store it unless the bank
        is full; True when stored."""
        self.seen.add(key)
        if self.full:
            return False
        # the values' bytes: a tuple's count less its own overhead, in one call
        self.stored_bytes += NODE_OVERHEAD + value_nbytes(node.values) - CONTAINER_OVERHEAD
        self.by_type[node.type][node.cost].append(node)
        return True

    def at_cost(self, typ: Type, cost: int, subst: dict[str, Type]) -> Iterator[tuple[Node, dict]]:
        """Nodes of exactly `cost` whose type unifies with `typ` (with the extended subst)."""
        target = resolve(typ, subst)
        if not free_vars(target):
            for node in self.by_type.get(target, {}).get(cost, ()):
                yield node, subst
            return
        for node_type, levels in list(self.by_type.items()):
            nodes = levels.get(cost)
            if not nodes or (isinstance(node_type, TCon) and node_type.name == "Fn"):
                continue
            trial = dict(subst)
            if unify(node_type, target, trial):
                for node in nodes:
                    yield node, trial


def _valid(value: Any) -> bool:
    """False for a grid with a side of 0 or over MAX_SIDE, or a list of over MAX_ITEMS."""
    kind = type(value)
    if kind is int or kind is bool:
        return True
    if isinstance(value, np.ndarray):
        return value.ndim != 2 or (0 < value.shape[0] <= MAX_SIDE and 0 < value.shape[1] <= MAX_SIDE)
    if isinstance(value, tuple):
        return len(value) <= MAX_ITEMS
    return True


class Enumerator:
    """Enumerates nodes level by level over a fixed set of inputs (train then test)."""

    def __init__(self, inputs: Sequence[np.ndarray], palette: Sequence[int],
                 registry: Registry | None = None, config: EnumConfig = EnumConfig(),
                 costs: Mapping[str, int] | None = None,
                 default_domains: Mapping[str, tuple[Any, ...]] | None = None,
                 hints: TaskHints | None = None) -> None:
        self.inputs = tuple(inputs)
        self.n = len(self.inputs)
        self.palette = tuple(sorted(palette))
        self.registry = registry or default_registry()
        self.config = config
        self.bank = Bank(max_bytes=None if config.max_bank_mb is None
                         else config.max_bank_mb * 2**20)
        self.stats = EnumStats()
        self.prims = [p for p in self.registry if p.name not in config.exclude
                      and p.returns != BOOL and not _has_unsupported_function(p)]
        self._function_cache: dict[Type, list[Node]] = {}
        self._literal_cache: dict[tuple[str, str], list[Node]] = {}
        self._default_domains = dict(default_domains or {})
        self.hints = hints or TaskHints()
        self._literal_sets: dict[str, set[LiteralSet]] = defaultdict(set)
        self._shaped_sets: dict[str, list[LiteralSet]] = defaultdict(list)
        self._slots: dict[str, list[Param]] = {p.name: self._slot_params(p) for p in self.prims}
        self._slot_types: dict[str, list[Type]] = {
            p.name: [rename_vars(q.type, f"_{p.name}") for q in self._slots[p.name]]
            for p in self.prims}
        self._closed: frozenset[str] = frozenset(
            name for name, types in self._slot_types.items() if all(map(_closed_value, types)))
        costs = costs or {}
        self._plans = {p.name: self._call_plan(p, max(1, costs.get(p.name, p.cost)))
                       for p in self.prims}
        self.prims.sort(key=lambda p: (self._plans[p.name].cost, self.branching(p)))
        self._freezing = False  # whether `run` freezes the bank for the garbage collector
        self._seeds: dict[int, list[Node]] = defaultdict(list)
        self.root = Node(GRID, self.inputs, 0, ast.Var("I"))
        self.bank.add(self.root)

    def seed(self, nodes: Iterable[Node]) -> None:
        """Nodes built elsewhere (each with its values on every input, train then test, a cost
        of 1 or more and its expression) to join the enumeration: those of cost `c` are
        yielded, and stored as arguments of later levels, right after level `c`'s own nodes,
        unless an equal value is in the bank by then (built by the enumerator at that cost or
        lower, or an earlier seed). Seeds of a cost over `max_cost` never join."""
        for node in nodes:
            if node.cost < 1 or len(node.values) != self.n:
                raise ValueError(f"a seed needs a cost of 1 or more and {self.n} values, got "
                                 f"cost {node.cost} and {len(node.values)} values")
            self._seeds[node.cost].append(node)

    def seeded(self, cost: int) -> Iterator[Node]:
        """The seeds of `cost` not equal to a value in the bank, added to it (`seed`)."""
        stats, bank = self.stats, self.bank
        for node in self._seeds.pop(cost, ()):
            key = bank.key(node.type, node.values)
            if key in bank.seen:
                stats.duplicates += 1
                continue
            if not bank.insert(key, node):
                stats.unstored += 1
            stats.nodes += 1
            stats.seeded += 1
            yield node

    def _slot_params(self, prim: Primitive) -> list[Param]:
        narrow = dict(self.config.narrow_domains)
        slots = []
        for p in prim.params:
            if p.has_default and p.domain is None:
                if p.name not in self._default_domains:
                    continue
                slots.append(replace(p, domain=self._default_domains[p.name]))
                continue
            domain = narrow.get(f"{prim.name}.{p.name}", p.domain)
            slots.append(replace(p, domain=domain) if domain != p.domain else p)
        return slots

    def _call_plan(self, prim: Primitive, cost: int) -> _CallPlan:
        slots = self._slots[prim.name]
        index = {p.name: i for i, p in enumerate(slots)}
        returns = rename_vars(prim.returns, f"_{prim.name}")
        fn = implementation(prim)
        if prim.kernel in MEMO_KERNELS:
            fn = memoised(fn, MEMO_BYTES)
        slot_of = tuple(index.get(p.name) for p in prim.params)
        return _CallPlan(
            name=prim.name, fn=fn, slot_of=slot_of,
            default_columns=tuple(None if p.name in index else (p.default,) * self.n
                                  for p in prim.params),
            positional=tuple(i for i, p in enumerate(slots) if not p.has_default),
            keywords=tuple((p.name, i) for i, p in enumerate(slots) if p.has_default),
            returns=returns, closed=not free_vars(returns), cost=cost,
            direct=bool(slots) and slot_of == tuple(range(len(slots))))

    def cost_of(self, prim: Primitive) -> int:
        """What one call of `prim` adds to a node's cost in this enumeration."""
        return self._plans[prim.name].cost

    def slot_params(self, prim: Primitive) -> list[Param]:
        """Parameters the enumerator fills: required ones, those with a finite domain, and
        defaulted ones named in `default_domains` (printed as keywords)."""
        return self._slots[prim.name]

    def literals(self, prim: Primitive, param: Param) -> list[Node]:
        """Literal options of a parameter (cached)."""
        key = (prim.name, param.name)
        if key not in self._literal_cache:
            self._literal_cache[key] = literal_options(param, self.palette, self.n,
                                                       self.hints.integers_for(param))
        return self._literal_cache[key]

    def branching(self, prim: Primitive) -> int:
        """How many literal combinations one call of `prim` spans (cheap prims go first)."""
        product = 1
        for param in self.slot_params(prim):
            product *= max(1, len(self.literals(prim, param)))
        return product

    def options(self, prim: Primitive, param: Param, ptype: Type, cost: int,
                subst: dict[str, Type]) -> Iterator[tuple[Node, dict]]:
        """Argument options of exactly `cost` for a parameter."""
        target = resolve(ptype, subst)
        if isinstance(target, TCon) and target.name == "Fn":
            if cost == 0:
                yield from self.function_args(target, subst)
            return
        if param.domain is not None or target in SCALARS:
            if cost == 0:
                for node in self.literals(prim, param):
                    yield node, subst
            if param.domain is not None:
                return
        yield from self.bank.at_cost(target, cost, subst)

    def function_args(self, target: Type, subst: dict[str, Type]) -> Iterator[tuple[Node, dict]]:
        """Function values that unify with `target`; the options are worked out once per
        shape of the target (its variables renamed in order), as their names do not matter."""
        key = _shape(target, {})
        if key not in self._function_cache:
            self._function_cache[key] = function_options(target, self.registry, self.palette,
                                                         self.n, self.config.exclude)
        for index, node in enumerate(self._function_cache[key]):
            trial = dict(subst)
            if unify(rename_vars(node.type, f"_fn{index}"), target, trial):
                yield node, trial

    def combos(self, prim: Primitive, budget: int) -> Iterator[tuple[list[Node], dict]]:
        """Argument tuples for `prim` whose costs sum to `budget`: first those whose literals
        gave the expected output shapes at level 1 (`shaped_literals`), then the others.
        Primitives whose parameter types are all closed take the nested-loop fast path
        (`_closed_combos`), the others the recursion over unifying options
        (`recursive_combos`); both give the same tuples in the same order."""
        shaped = self.shaped_literals(prim)
        build = self._closed_combos if prim.name in self._closed else self.recursive_combos
        if not shaped:
            return build(prim, budget, {})
        return self._shaped_first(prim, shaped, lambda fixed: build(prim, budget, fixed))

    def recursive_combos(self, prim: Primitive, budget: int, fixed: Mapping[int, Node]
                         ) -> Iterator[tuple[list[Node], dict]]:
        """Argument tuples for `prim` whose costs sum to `budget` (the parameters in `fixed`
        held at their literal), parameter by parameter, each option unified with the
        substitution so far: the general path, and the oracle of `_closed_combos`."""
        params = self.slot_params(prim)
        types = self._slot_types[prim.name]

        def rec(i: int, remaining: int, chosen: list[Node], subst: dict) -> Iterator:
            if i == len(params):
                if remaining == 0:
                    yield list(chosen), subst
                return
            if i in fixed:
                chosen.append(fixed[i])
                yield from rec(i + 1, remaining, chosen, subst)
                chosen.pop()
                return
            costs = [remaining] if i == len(params) - 1 else range(remaining + 1)
            for cost in costs:
                for node, extended in self.options(prim, params[i], types[i], cost, subst):
                    chosen.append(node)
                    yield from rec(i + 1, remaining - cost, chosen, extended)
                    chosen.pop()

        return rec(0, budget, [], {})

    def _closed_combos(self, prim: Primitive, budget: int, fixed: Mapping[int, Node]
                       ) -> Iterator[tuple[list[Node], dict]]:
        """The argument tuples `combos` builds recursively, in the same order, for a primitive
        whose parameter types are all closed and none a function: no substitution is ever
        extended, so each parameter's options at each cost are one list (the literals, the
        bank's nodes of that type and cost), looked up once, and the tuples come from nested
        loops over them. The bank's lists of costs under the level being built do not grow
        while it is built."""
        params = self.slot_params(prim)
        types = self._slot_types[prim.name]
        subst: dict[str, Type] = {}
        found: dict[tuple[int, int], Sequence[Node]] = {}

        def at(i: int, cost: int) -> Sequence[Node]:
            """Options of parameter `i` of exactly `cost` (the fixed literal: cost 0 only)."""
            key = (i, cost)
            if key not in found:
                if i in fixed:
                    found[key] = (fixed[i],) if cost == 0 else ()
                else:
                    found[key] = self._closed_options(prim, params[i], types[i], cost)
            return found[key]

        def spread(i: int, remaining: int) -> Sequence[int]:
            """The costs parameter `i` (not the last) may take out of `remaining`."""
            return (0,) if i in fixed else range(remaining + 1)

        last = len(params) - 1
        if last < 0:
            if budget == 0:
                yield [], subst
        elif last == 0:
            for node in at(0, budget):
                yield [node], subst
        elif last == 1:
            for first_cost in spread(0, budget):
                seconds = at(1, budget - first_cost)
                if seconds:
                    for first in at(0, first_cost):
                        for second in seconds:
                            yield [first, second], subst
        else:
            yield from _nested(at, spread, last, budget, subst)

    def _closed_options(self, prim: Primitive, param: Param, target: Type, cost: int
                        ) -> Sequence[Node]:
        """`options` of a parameter of a closed, non-function type, as one sequence."""
        literal = param.domain is not None or target in SCALARS
        literals = self.literals(prim, param) if literal and cost == 0 else []
        if param.domain is not None:
            return literals
        stored = self.bank.by_type.get(target, {}).get(cost, ())
        return literals + list(stored) if literals and stored else (literals or stored)

    def _shaped_first(self, prim: Primitive, shaped: list[LiteralSet],
                      combos: Callable[[Mapping[int, Node]], Iterator]) -> Iterator:
        """The combinations with each shape-giving literal set fixed, then all the others."""
        params = self.slot_params(prim)
        for literals in shaped:
            fixed = {i: self._literal(prim, params[i], value) for i, value in literals}
            if all(node is not None for node in fixed.values()):
                yield from combos(fixed)
        done = set(shaped)
        for args, subst in combos({}):
            if _literal_set(args) not in done:
                yield args, subst

    def _literal(self, prim: Primitive, param: Param, value: Any) -> Node | None:
        return next((node for node in self.literals(prim, param)
                     if node.expr.value == value), None)

    def shaped_literals(self, prim: Primitive) -> list[LiteralSet]:
        """The literal sets of `prim` that gave every example's expected output shape when
        applied to the input at level 1, when they are some but not all of those tried."""
        shaped = self._shaped_sets.get(prim.name, [])
        return shaped if 0 < len(shaped) < len(self._literal_sets[prim.name]) else []

    def _note_shape(self, prim: Primitive, args: list[Node], values: tuple[Any, ...]) -> None:
        """At level 1, remember which literal sets of `prim` give the expected shapes."""
        if not any(self.hints.shapes) or any(
                a is not self.root and not isinstance(a.expr, ast.Literal) for a in args):
            return
        literals = _literal_set(args)
        if not literals or literals in self._literal_sets[prim.name]:
            return
        self._literal_sets[prim.name].add(literals)
        if all(isinstance(v, np.ndarray) and (s is None or v.shape == s)
               for v, s in zip(values, self.hints.shapes)):
            self._shaped_sets[prim.name].append(literals)

    def call(self, prim: Primitive, args: list[Node], subst: dict) -> Node | None:
        """Evaluate `prim` on every example; None on an EvalError, an oversized value or a
        return type left generic."""
        plan = self._plans[prim.name]
        values = self._evaluate(plan, args)
        typ = None if values is None else _return_type(plan, subst)
        return None if typ is None else _node(plan, args, typ, values)

    def _evaluate(self, plan: _CallPlan, args: list[Node]) -> tuple[Any, ...] | None:
        """The primitive's value on every example (counted as one evaluation); None on an
        EvalError (counted) or an oversized value. The calls go through `map` (the examples
        in order, stopping at the first error or oversized value as a loop would), the
        argument columns straight from the nodes when no parameter takes a default column,
        and `_valid`'s checks inline for the common kinds."""
        self.stats.evaluations += 1
        if plan.direct:
            if len(args) == 1:
                results = map(plan.fn, args[0].values)
            else:
                results = map(plan.fn, *[arg.values for arg in args])
        else:
            columns = [args[i].values if i is not None else default
                       for i, default in zip(plan.slot_of, plan.default_columns)]
            results = map(plan.fn, *columns) if columns else iter(())
        values = []
        try:
            for value in results:
                kind = type(value)
                if kind is np.ndarray:
                    if value.ndim == 2:
                        rows, cols = value.shape
                        if not (0 < rows <= MAX_SIDE and 0 < cols <= MAX_SIDE):
                            return None
                elif kind is tuple:
                    if len(value) > MAX_ITEMS:
                        return None
                elif kind is not int and kind is not bool and not _valid(value):
                    return None
                values.append(value)
        except EvalError:
            self.stats.errors += 1
            return None
        return tuple(values)

    def level(self, cost: int, expired: Stop) -> Iterator[Node]:
        """Build and yield the new nodes of one cost level until `expired` says stop."""
        stats, bank, config = self.stats, self.bank, self.config
        seen = bank.seen
        for prim in self.prims:
            plan = self._plans[prim.name]
            if cost < plan.cost:
                continue
            cap = config.max_combos_per_split * max(1, cost)
            first_level = cost == plan.cost
            for count, (args, subst) in enumerate(self.combos(prim, cost - plan.cost)):
                if count >= cap or stats.nodes >= config.max_nodes:
                    break
                if count % 64 == 0 and expired(stats.evaluations):
                    return
                values = self._evaluate(plan, args)
                if values is None:
                    continue
                typ = plan.returns if plan.closed else _return_type(plan, subst)
                if typ is None:
                    continue
                if first_level:
                    self._note_shape(prim, args, values)
                key = (typ, value_hash(values))  # `Bank.key`, inlined
                if key in seen:
                    stats.duplicates += 1
                    continue
                node = _node(plan, args, typ, values)
                if not bank.insert(key, node):
                    stats.unstored += 1
                stats.nodes += 1
                if self._freezing and stats.nodes % FREEZE_EVERY == 0:
                    gc.freeze()
                yield node

    def run(self, expired: Stop) -> Iterator[Node]:
        """All levels 1..max_cost, yielding each new node; `expired(evaluations so far)` is
        asked every 64 argument combinations and after each level.

        While it runs, every `FREEZE_EVERY` new nodes the objects alive are moved out of the
        cyclic garbage collector's sight (`gc.freeze`, undone when the run ends): the bank
        only grows during a run, and full collections would otherwise rescan all of it again
        and again (~15% of the time). Nothing is frozen when some other code froze objects
        before (its freeze is left alone)."""
        start = time.monotonic()
        self._freezing = gc.get_freeze_count() == 0
        try:
            for cost in range(1, self.config.max_cost + 1):
                self.stats.level_reached = cost
                yield from self.level(cost, expired)
                yield from self.seeded(cost)
                if expired(self.stats.evaluations) or self.stats.nodes >= self.config.max_nodes:
                    return
        finally:
            self.stats.seconds = time.monotonic() - start
            if self._freezing:
                gc.unfreeze()
                self._freezing = False


def _nested(at: Callable[[int, int], Sequence[Node]], spread: Callable[[int, int], Sequence[int]],
            last: int, budget: int, subst: dict[str, Type]) -> Iterator[tuple[list[Node], dict]]:
    """`Enumerator._closed_combos` for three or more parameters: every tuple whose costs sum
    to `budget`, parameter 0's cost and node outermost, as `Enumerator.combos` orders them."""
    chosen: list[Node] = []

    def rec(i: int, remaining: int) -> Iterator[tuple[list[Node], dict]]:
        if i == last:
            for node in at(i, remaining):
                chosen.append(node)
                yield list(chosen), subst
                chosen.pop()
            return
        for cost in spread(i, remaining):
            for node in at(i, cost):
                chosen.append(node)
                yield from rec(i + 1, remaining - cost)
                chosen.pop()

    return rec(0, budget)


def _closed_value(typ: Type) -> bool:
    """Whether a parameter type has no variables and is not a function type."""
    return not free_vars(typ) and not (isinstance(typ, TCon) and typ.name == "Fn")


def _literal_set(args: Sequence[Node]) -> LiteralSet:
    """The (argument slot, value) pairs of a call's literal arguments."""
    return tuple((i, a.expr.value) for i, a in enumerate(args) if isinstance(a.expr, ast.Literal))


def _shape(typ: Type, names: dict[str, str]) -> Type:
    """`typ` with its variables renamed v0, v1, ... in order of first appearance."""
    if isinstance(typ, TVar):
        return TVar(names.setdefault(typ.name, f"v{len(names)}"))
    return TCon(typ.name, tuple(_shape(a, names) for a in typ.args)) if typ.args else typ


def _return_type(plan: _CallPlan, subst: dict) -> Type | None:
    """The call's return type under the argument substitution; None if it stays generic."""
    if plan.closed:
        return plan.returns
    typ = resolve(plan.returns, subst)
    return None if free_vars(typ) else typ


def _node(plan: _CallPlan, args: list[Node], typ: Type, values: tuple[Any, ...]) -> Node:
    """The node of a call: its values, type, summed cost and printed expression."""
    expr = ast.Call(plan.name, tuple([args[i].expr for i in plan.positional]),
                    tuple([(name, args[i].expr) for name, i in plan.keywords]))
    return Node(typ, values, plan.cost + sum([a.cost for a in args]), expr)


def _has_unsupported_function(prim: Primitive) -> bool:
    types = [p.type for p in prim.params] + [prim.returns]
    return any(isinstance(t, TCon) and t.name == "Fn" and len(t.args) != 2 for t in types) or (
        isinstance(prim.returns, TCon) and prim.returns.name == "Fn")
