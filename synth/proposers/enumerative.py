"""The enumerative proposer: bottom-up enumeration, verified grids as program candidates.

Every Grid node that reproduces all train outputs is yielded at once, and so is every Grid
node that does so after one consistent colour map (`map_colors(x, [..], [..])`); the first
`LOCAL_RULE_BASES` Grid nodes with the outputs' shapes also try a learned local rule
(`local_rule(x, kind, [..], [..])`, `synth.search.local_rules`), a learned object rule
(`recolor_objects(x, kind, [..], [..], bg)`, `synth.search.object_rules`), a learned line
rule (`cast_rays(x, cells, dirs, stop, colour, bg)`, `synth.search.line_rules`), a learned move
rule (`move_objects(x, kind, [..], [..], bg)`, `synth.search.move_rules`), a learned box
rule (`paint_boxes(x, anchors, region, colour, bg)`, `synth.search.box_rules`) and a learned
sweep rule (`sweep_rule(x, direction, kind, [..], [..], bg)`, `synth.search.sweep_rules`).
Once an exact program whose test outputs obey the task's invariants
(`analysis.consistent_outputs`) is found the enumeration finishes that cost level (shortest
programs first) and stops; after a colour-mapped one it also explores the next level.
Otherwise, when time runs out, the closest partial matches (same shapes as the train
outputs, most cells right) are yielded too, with their accuracy as prior, so the loop can
fall back on them. Before those, the last
`PIECES_SHARE` of the stage's budget composes the output by pieces (`synth.search.pieces`):
a base value plus overlaid values that are each right where they paint, or top-down layers
that also blank cells (`fill_mask(x, mask_of(piece, bg), bg)`), from as many shaped values as
that share pays for (`pieces_allowance`, `values_per_evaluation` values an evaluation).
With `seeds` (a `synth.proposers.closure_seeds.SeedConfig`), the native closure's shallow
values seed the enumeration first (its work counted as the closure proposer counts it, within
`SeedConfig.share` of the stage), and every candidate is then re-run by the reference
interpreter and carries the interpreter's outputs (`EnumerativeProposer.candidate`).
Local-rule and object-rule programs are yielded as soon as they are learned, whether or not
an exact program is found (prior 0.85), but only the first per distinct test output, so
rules never outvote each other or cut the enumeration short on their own.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from functools import partial
from dataclasses import dataclass, field, replace
from typing import Any

from dsl.parser import parse_program
from dsl.types import COLOR, GRID
from dsl.values import value_key
from synth.analysis.features import TaskAnalysis
from synth.data.scoring import train_matches
from synth.proposers.base import (Budget, Candidate, Pool, ProgramCandidate, interpreted_grids,
                                  keep_best, node_candidate)
from synth.proposers.closure_seeds import SeedConfig, closure_seeds
from synth.proposers.guidance import Guidance
from synth.search.closeness import train_accuracy
from synth.search.enumerate import EnumConfig, Enumerator, EnumStats
from synth.search.options import Node, literal_node, task_default_domains, task_hints
from synth.search.finishing import color_mapping, mapped_node
from synth.search.box_rules import box_rule_node, learn_box_rule
from synth.search.line_rules import learn_line_rule, line_rule_node
from synth.search.local_rules import learn_local_rule, local_rule_node
from synth.search.move_rules import learn_move_rule, move_rule_node
from synth.search.object_rules import learn_object_rule, object_rule_node
from synth.search.pieces import (BLANK, PIECES_SHARE, compose, piece_limit, pieces_allowance,
                                 pieces_work, values_per_evaluation)
from synth.search.sweep_rules import learn_sweep_rule, sweep_rule_node
from synth.search.program import expr_size, program_text
from synth.data.task import Challenge

N_PARTIAL = 4
MAX_MAPPED_PER_LEVEL = 3
LOCAL_RULE_BASES = 32  # shaped Grid nodes (the root first) a local rule is learned on
MAX_LOCAL_RULES = 4    # local-rule programs kept per task


@dataclass
class EnumerativeProposer:
    """Yields verified programs found by bottom-up enumeration, then the best partials."""

    config: EnumConfig = field(default_factory=EnumConfig)
    guidance: Guidance = field(default_factory=Guidance)
    name: str = "enumerative"
    enum_stats: EnumStats = field(default_factory=EnumStats)
    weighted_max_cost: int = 10
    # closure values seeded into the enumeration (`synth.proposers.closure_seeds`); None (the
    # default): none. Off by default: seeding gained no task in the A/B of
    # `benchmarks/closure_seeds_census.py`'s module docstring
    seeds: SeedConfig | None = None
    reinterpret: bool = field(default=False, init=False)  # re-run candidates (seeded search)

    def warm_up(self) -> None:
        """Load what the cost hook reads (library counts, the guide model)."""
        self.guidance.warm_up()

    def stats(self) -> dict[str, Any]:
        """The last enumeration's nodes, evaluations, depth and speed."""
        return self.enum_stats.as_dict()

    def mapped_candidates(self, mapped: list[Node], task: Challenge) -> Iterator[Candidate]:
        """The shortest few colour-mapped programs of one level."""
        for node in sorted(mapped, key=lambda m: expr_size(m.expr))[:MAX_MAPPED_PER_LEVEL]:
            candidate = self.candidate(node, task, prior=0.9)
            if candidate is not None:
                yield candidate

    def rule_candidate(self, node: Node, task: Challenge, enumerator: Enumerator,
                       learn: Callable[..., Any], apply: Callable[[Node, Any], Node]
                       ) -> Candidate | None:
        """`apply(node, rule)` when `learn` finds a rule (a local rule, an object rule) mapping
        the node onto every train output; the node's own values are cross-validated unless
        it is the input."""
        enumerator.stats.evaluations += 1
        rule = learn(node.values, cross_validate=node.cost > 0)
        if rule is None:
            return None
        ruled = apply(node, rule)
        if not train_matches(ruled.values[:len(task.train)], task):
            return None
        enumerator.stats.found()
        return self.candidate(ruled, task, prior=0.85)

    def by_pieces(self, shaped: list[Node], task: Challenge, analysis: TaskAnalysis,
                  enumerator: Enumerator, budget: Budget) -> Iterator[Candidate]:
        """A base value plus overlaid pieces, or layers that overlay or blank
        (`synth.search.pieces`), when they reproduce every train output; of the shaped values,
        as many as what is left of `budget` pays for (`pieces_allowance`,
        `values_per_evaluation` values an evaluation)."""
        n = len(task.train)
        work_left = None if budget.work_limit is None else \
            budget.work_limit - budget.meter.spent - enumerator.stats.evaluations
        targets = [ex.output for ex in task.train]
        per_evaluation = values_per_evaluation(targets)
        shaped = shaped[:pieces_allowance(work_left, budget.remaining(), per_evaluation)]
        found = compose([node.values[:n] for node in shaped], targets, analysis.background,
                        blanks=True, covering=pieces_allowance(work_left, budget.remaining()))
        self.enum_stats.evaluations += pieces_work(len(shaped), per_evaluation)
        if found is None:
            return
        node: Node | None = shaped[found.base]
        for i, index in enumerate(found.pieces):
            node = blank_node(enumerator, node, shaped[index], analysis.background) \
                if found.mode(i) == BLANK else overlay_node(enumerator, node, shaped[index])
            if node is None:
                return
        if train_matches(node.values[:n], task):
            self.enum_stats.found()
            candidate = self.candidate(node, task, prior=0.95)
            if candidate is not None:
                yield candidate

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        inputs = list(task.inputs)
        costs = self.guidance.costs(task, model_samples(pool))
        config = self.config if costs is None else replace(
            self.config, max_cost=max(self.config.max_cost, self.weighted_max_cost))
        enumerator = Enumerator(inputs, sorted(analysis.palette), config=config, costs=costs,
                                default_domains=task_default_domains(analysis.background),
                                hints=task_hints([(ex.input, ex.output) for ex in task.train],
                                                 task.test_inputs, analysis.plausible_shapes))
        self.enum_stats = enumerator.stats
        self.reinterpret = False
        if self.seeds is not None:
            seeds = closure_seeds(task, analysis, self.seeds, budget.share(self.seeds.share))
            budget.spend(seeds.evaluations)
            enumerator.seed(seeds.nodes)
            self.reinterpret = bool(seeds.nodes)
        try:
            yield from self._search(task, analysis, budget, enumerator)
        finally:
            budget.spend(enumerator.stats.evaluations)

    def candidate(self, node: Node, task: Challenge, prior: float, matched: bool = True
                  ) -> ProgramCandidate | None:
        """The node as a program candidate. In a seeded enumeration (`seeds`) the program is
        re-run by the reference interpreter on every input (counted as one evaluation) and
        the candidate carries the interpreter's outputs: None when it fails on a train input,
        or when the node `matched` every train output and the interpreter's outputs do not."""
        if not self.reinterpret:
            return node_candidate(node, task, self.name, prior=prior)
        n = len(task.train)
        self.enum_stats.evaluations += 1
        outputs = interpreted_grids(parse_program(program_text(node.expr)), task.inputs)
        if outputs is None or any(g is None for g in outputs[:n]):
            return None
        if matched and not train_matches(outputs[:n], task):
            return None
        return ProgramCandidate(program_text(node.expr), self.name, tuple(outputs[:n]),
                                tuple(outputs[n:]), prior=prior, cost=expr_size(node.expr))

    def _search(self, task: Challenge, analysis: TaskAnalysis, budget: Budget,
                enumerator: Enumerator) -> Iterator[Candidate]:
        targets = [(ex.output.shape, ex.output.tobytes()) for ex in task.train]
        n = len(task.train)
        partials: list[tuple[float, int, Node]] = []
        mapped: list[Node] = []
        solved_at: int | None = None
        shaped: list[Node] = []
        rule_bases = 0
        ruled: set[tuple] = set()  # test outputs of the rule programs yielded so far
        shapes = [ex.output.shape for ex in task.train]
        keep = piece_limit([ex.output for ex in task.train])
        search_budget = budget.share(1.0 - PIECES_SHARE)
        learn_local = partial(learn_local_rule, task=task)
        learn_objects = partial(learn_object_rule, task=task, bg=analysis.background)
        learn_lines = partial(learn_line_rule, task=task, bg=analysis.background)
        learn_moves = partial(learn_move_rule, task=task, bg=analysis.background)
        learn_boxes = partial(learn_box_rule, task=task, bg=analysis.background)
        learn_sweeps = partial(learn_sweep_rule, task=task, bg=analysis.background)
        sweep_node = partial(sweep_rule_node, bg=analysis.background)
        for node in itertools.chain((enumerator.root,),
                                    enumerator.run(lambda done: search_budget.expired(done))):
            if mapped and node.cost > mapped[0].cost - 1:
                yield from self.mapped_candidates(mapped, task)
                mapped.clear()
            if solved_at is not None and node.cost > solved_at:
                return
            if node.type != GRID:
                continue
            if all((v.shape, v.tobytes()) == t for v, t in zip(node.values[:n], targets)):
                candidate = self.candidate(node, task, prior=1.0)
                if candidate is None:
                    continue
                enumerator.stats.found()
                if solved_at is None and all(g is not None for g in candidate.test_outputs) \
                        and analysis.consistent_outputs(candidate.test_outputs):
                    solved_at = node.cost
                yield candidate
                continue
            changes = color_mapping(node.values[:n], task)
            if changes is not None:
                enumerator.stats.found()
                fixed = mapped_node(node, changes)
                if solved_at is None and analysis.consistent_outputs(fixed.values[n:]):
                    solved_at = node.cost + 1
                mapped.append(fixed)
                continue
            same_shapes = all(v.shape == s for v, s in zip(node.values, shapes))
            if same_shapes and rule_bases < LOCAL_RULE_BASES and len(ruled) < MAX_LOCAL_RULES:
                rule_bases += 1
                for candidate in (
                        self.rule_candidate(node, task, enumerator, learn_local, local_rule_node),
                        self.rule_candidate(node, task, enumerator, learn_objects,
                                            object_rule_node),
                        self.rule_candidate(node, task, enumerator, learn_lines,
                                            line_rule_node),
                        self.rule_candidate(node, task, enumerator, learn_moves,
                                            move_rule_node),
                        self.rule_candidate(node, task, enumerator, learn_boxes,
                                            box_rule_node),
                        self.rule_candidate(node, task, enumerator, learn_sweeps, sweep_node)):
                    if candidate is not None and \
                            value_key(candidate.test_outputs) not in ruled:
                        ruled.add(value_key(candidate.test_outputs))
                        yield candidate
            score = train_accuracy(node.values[:n], task)
            if score > 0:
                keep_best(partials, (score, -enumerator.stats.nodes, node), N_PARTIAL)
            if len(shaped) < keep and same_shapes:
                shaped.append(node)
        yield from self.mapped_candidates(mapped, task)
        if solved_at is None and not mapped:
            yield from self.by_pieces(shaped, task, analysis, enumerator, budget)
        for score, _, node in sorted(partials, key=lambda item: item[:2], reverse=True):
            candidate = self.candidate(node, task, prior=score, matched=False)
            if candidate is not None:
                yield candidate


def overlay_node(enumerator: Enumerator, base: Node, piece: Node) -> Node | None:
    """`overlay(base, piece)` (with the task's background as `bg` when it is not 0)."""
    prim = enumerator.registry["overlay"]
    slots = enumerator.slot_params(prim)
    extra = [next(iter(enumerator.literals(prim, slot))) for slot in slots[2:]]
    return enumerator.call(prim, [base, piece, *extra], {})


def blank_node(enumerator: Enumerator, base: Node, piece: Node, background: int
               ) -> Node | None:
    """`fill_mask(base, mask_of(piece, bg), bg)`: the base with the piece's background
    cells blanked."""
    colour = literal_node(background, COLOR, len(base.values))
    mask = enumerator.call(enumerator.registry["mask_of"], [piece, colour], {})
    return None if mask is None else \
        enumerator.call(enumerator.registry["fill_mask"], [base, mask, colour], {})


def model_samples(pool: Pool) -> list[str]:
    """Program texts language models proposed for this task so far (verified or not)."""
    return [c.program for c in pool.programs() if c.weight > 0 or c.proposer == "llm"]
