"""The beam proposer: keep the `width` grids closest to the train outputs, expand them.

A state is a Grid node (its values on every train and test input). Each step applies every
enumerable primitive whose first parameter is a Grid to every state (other Grid parameters
take the state or the input `I`, scalars take literal options, functions take function
values), scores the children with a pluggable `Scorer` and keeps the best `width` distinct
ones. A child reproducing the train outputs, directly or after one colour map, is yielded; the
search stops at the first step with an exact child whose test outputs obey the task's
invariants (`analysis.consistent_outputs`), or one step after the first colour-mapped child
(an exact program one step deeper is simpler than a colour map that mimics geometry).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any


from dsl.registry import Primitive
from dsl.types import GRID
from dsl.values import value_key
from synth.analysis.features import TaskAnalysis
from synth.proposers.base import Budget, Candidate, Pool, node_candidate
from synth.search.closeness import closeness
from synth.search.finishing import color_mapping, mapped_node
from synth.search.enumerate import EnumConfig, Enumerator
from synth.search.options import Node, task_default_domains
from synth.search.program import expr_size
from synth.data.task import Grid, Challenge

Scorer = Callable[[Sequence[Grid], Challenge], float]
MAX_MAPPED_PER_STEP = 3


@dataclass
class BeamProposer:
    """Beam search over Grid-to-Grid steps, scored by a pluggable Scorer."""

    width: int = 100
    max_steps: int = 6
    scorer: Scorer = closeness
    name: str = "beam"
    last: dict[str, Any] = field(default_factory=dict)

    def warm_up(self) -> None:
        """Nothing to load."""

    def stats(self) -> dict[str, Any]:
        """The last search's steps and evaluations."""
        return dict(self.last)

    def expansions(self, enumerator: Enumerator, prim: Primitive, state: Node, root: Node
                   ) -> Iterator[list[Node]]:
        """Argument tuples applying `prim` to `state` (first Grid parameter)."""
        slots = enumerator.slot_params(prim)
        choices: list[list[Node]] = []
        for index, param in enumerate(slots):
            if index == 0:
                choices.append([state])
            elif param.type == GRID:
                choices.append([state, root] if state is not root else [root])
            else:
                options = [n for n, _ in enumerator.options(prim, param, param.type, 0, {})]
                if not options:
                    return
                choices.append(options)
        yield from _product(choices)

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        inputs = list(task.inputs)
        enumerator = Enumerator(inputs, sorted(analysis.palette), config=EnumConfig(),
                                default_domains=task_default_domains(analysis.background))
        root = enumerator.root
        prims = [p for p in enumerator.prims
                 if p.returns == GRID and enumerator.slot_params(p)
                 and enumerator.slot_params(p)[0].type == GRID]
        n = len(task.train)
        beam, seen = [root], {value_key(root.values)}
        steps = evaluations = mapped_steps = 0
        while steps < self.max_steps and not budget.expired():
            steps += 1
            children: list[tuple[float, Node]] = []
            for state in beam:
                for prim in prims:
                    if budget.expired():
                        break
                    for args in self.expansions(enumerator, prim, state, root):
                        evaluations += 1
                        budget.spend()
                        child = enumerator.call(prim, args, {})
                        if child is None or child.type != GRID:
                            continue
                        key = value_key(child.values)
                        if key in seen:
                            continue
                        seen.add(key)
                        children.append((self.scorer(child.values[:n], task), child))
            exact = [c for score, c in children if score >= 1.0 - 1e-9]
            mapped = [mapped_node(c, changes) for score, c in children if score < 1.0 - 1e-9
                      and (changes := color_mapping(c.values[:n], task)) is not None]
            mapped = sorted(mapped, key=lambda m: expr_size(m.expr))[:MAX_MAPPED_PER_STEP]
            for node in exact:
                yield node_candidate(node, task, self.name, prior=1.0)
            for node in mapped:
                yield node_candidate(node, task, self.name, prior=0.9)
            mapped_steps = mapped_steps + 1 if mapped or mapped_steps else 0
            done = any(analysis.consistent_outputs(c.values[n:]) for c in exact)
            if done or mapped_steps > 1 or not children:
                break
            children.sort(key=lambda item: item[0], reverse=True)
            beam = [child for _, child in children[:self.width]]
        self.last = {"steps": steps, "evaluations": evaluations, "width": self.width}


def _product(choices: list[list[Node]]) -> Iterator[list[Node]]:
    if not choices:
        yield []
        return
    for head in choices[0]:
        for rest in _product(choices[1:]):
            yield [head, *rest]
