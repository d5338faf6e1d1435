"""The `llm` proposer: language models write DSL programs; synth parses, checks and runs them.

For each member of the models file with role `program`, the proposer builds one prompt (DSL
reference from the registry, worked examples, the task as text grids), samples over the
member's temperature sweep, and turns every sample into a `ProgramCandidate` credited to
`llm:NAME` with its provenance (model, temperature, sample, round) — or counts it as a
positioned DSL error (parse, type, or run). Model text is parsed by the project's grammar,
type-checked and run by the DSL under its budgets; it is never executed as Python.
Refinement: the closest near misses go back to the model with per-pair verdicts and the wrong
cells, up to `refine` rounds within the budget. Worked examples are golden training programs
that the library proposer found closest to this task (never the task's own).
"""
from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from dsl.compile import run_compiled
from dsl.errors import DSLError, DSLParseError, DSLTypeError, EvalError
from dsl.parser import parse_program
from dsl.printer import format_program
from dsl.registry import default_registry
from dsl.typecheck import check_program
from synth.analysis.features import TaskAnalysis
from synth.data.scoring import train_matches
from synth.data.datasets import load_dataset
from synth.data.task import Challenge, Task
from synth.models.base import Backend, GenerateParams, ModelError, ModelUnavailable
from synth.models.load import load_backend
from synth.models.prompts import Example as Shot
from synth.models.prompts import dsl_reference, extract_program, program_prompt, refine_prompt
from synth.models.spec import ModelSpec, load_models_file
from synth.proposers.base import Budget, Candidate, Pool, ProgramCandidate, keep_best
from synth.search.closeness import train_accuracy

N_SHOTS = 3
N_REFINED = 3
MIN_REFINE_ACCURACY = 0.3
MAX_ERRORS_KEPT = 5


@dataclass(frozen=True)
class Member:
    """A loaded program-writing member of the ensemble."""

    spec: ModelSpec
    backend: Backend

    @property
    def proposer(self) -> str:
        """The name answers are credited to."""
        return f"llm:{self.spec.name}"


@cache
def loaded_member(spec: ModelSpec) -> Member | ModelUnavailable:
    """A member with its backend loaded once per process, or why it cannot load."""
    try:
        return Member(spec, load_backend(spec))
    except ModelUnavailable as err:
        return err


def role_members(models_file: str | None, role: str
                 ) -> tuple[tuple[Member, ...], tuple[str, ...]]:
    """The loadable members of a role, and one line per member that cannot load (each also
    printed once as a warning on stderr: the symbolic search goes on without them)."""
    if models_file is None:
        return (), ()
    members, skipped = [], []
    for spec in load_models_file(models_file):
        if spec.role != role:
            continue
        loaded = loaded_member(spec)
        if isinstance(loaded, ModelUnavailable):
            skipped.append(f"model {spec.name} skipped: {loaded.reason}")
            print(f"synth: warning: {skipped[-1]}", file=sys.stderr)
        else:
            members.append(loaded)
    return tuple(members), tuple(skipped)


def sweep(temperatures: Sequence[float], samples: int) -> list[tuple[float, int]]:
    """`samples` spread over the temperatures as evenly as possible (earlier ones first)."""
    base, extra = divmod(samples, len(temperatures))
    return [(t, base + (i < extra)) for i, t in enumerate(temperatures) if base + (i < extra)]


def program_candidate(text: str, task: Challenge, proposer: str, origin: str, weight: float
                      ) -> ProgramCandidate | DSLError:
    """The candidate a model's reply makes, or the positioned DSL error that stops it."""
    try:
        program = parse_program(extract_program(text))
        check_program(program)
        outputs = run_compiled(program, list(task.inputs), typecheck=False)
    except DSLError as err:
        return err
    failed = next((o for o in outputs if isinstance(o, EvalError)), None)
    if failed is not None:
        return failed
    if not all(isinstance(o, np.ndarray) and o.dtype == np.uint8 and o.ndim == 2
               for o in outputs):
        return EvalError("the program's value is not a grid")
    n = len(task.train)
    return ProgramCandidate(format_program(program), proposer, tuple(outputs[:n]),
                            tuple(outputs[n:]), prior=0.7, cost=len(program.entry.body),
                            origin=origin, weight=weight)


def _error_kind(err: DSLError) -> str:
    if isinstance(err, DSLParseError):
        return "parse"
    return "type" if isinstance(err, DSLTypeError) else "run"


@cache
def training_tasks() -> dict[str, Task]:
    """The arc1:train tasks by id (the golden library's tasks), loaded once per process."""
    return {k: v for k, v in load_dataset("arc1:train").entries.items() if isinstance(v, Task)}


def _shots(pool: Pool, task: Challenge, k: int) -> list[Shot]:
    """Golden programs the library found closest to this task (verified first, then by
    train accuracy), as worked examples; never the task's own program."""
    library = [c for c in pool.programs() if c.proposer == "library" and c.origin]
    library.sort(key=lambda c: (-c.prior, c.cost))
    shots, seen = [], set()
    tasks = training_tasks()
    for cand in library:
        stem = cand.origin.partition(":")[2]
        golden = tasks.get(stem)
        if stem in seen or stem == task.id or golden is None:
            continue
        seen.add(stem)
        shots.append(Shot(golden.challenge(), cand.program))
        if len(shots) == k:
            break
    return shots


@dataclass
class LLMProposer:
    """Samples DSL programs from the program-writing members of a models file."""

    models_file: str | None = None
    samples: int | None = None
    refine: int = 1
    seed: int = 0
    constrained_grammar: str | None = None
    name: str = "llm"
    members: tuple[Member, ...] = ()
    skipped: tuple[str, ...] = ()
    last: dict[str, Any] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def warm_up(self) -> None:
        """Load the members once per process; one stderr line per member that cannot load."""
        if self.members or self.skipped:
            return
        self.members, self.skipped = role_members(self.models_file, "program")
        if self.members:
            training_tasks()

    def stats(self) -> dict[str, Any]:
        """Samples, candidates and DSL errors by kind (with a few positioned examples)."""
        return dict(self.last)

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        self.warm_up()
        if not self.members:
            self.last = {"members": [], "skipped": list(self.skipped)}
            return
        self.seen = set()
        self.last = {"samples": 0, "candidates": 0, "duplicates": 0, "errors": Counter(),
                     "examples": [],
                     "request_errors": [], "skipped": list(self.skipped),
                     "members": [m.spec.name for m in self.members]}
        prompt = program_prompt(task, dsl_reference(default_registry()),
                                _shots(pool, task, N_SHOTS))
        for member in self.members:
            near: list[tuple[float, int, ProgramCandidate]] = []
            for temperature, n in sweep(member.spec.temperatures,
                                        self.samples or member.spec.samples):
                if budget.expired():
                    break
                yield from self._sample(member, prompt, temperature, n, 0, task, budget, near)
            yield from self._refine(member, prompt, task, budget, near)
        self.last["errors"] = dict(self.last["errors"])

    def _params(self, member: Member, temperature: float, n: int) -> GenerateParams:
        grammar = self.constrained_grammar if member.spec.constrained else None
        return GenerateParams(n=n, temperature=temperature,
                              max_new_tokens=member.spec.max_new_tokens, grammar=grammar,
                              seed=self.seed)

    def _sample(self, member: Member, prompt: str, temperature: float, n: int, round_: int,
                task: Challenge, budget: Budget,
                near: list[tuple[float, int, ProgramCandidate]]) -> Iterator[Candidate]:
        """Generate `n` samples and yield the candidates they make."""
        try:
            (samples,) = member.backend.generate([prompt], self._params(member, temperature, n))
        except (ModelError, ModelUnavailable) as err:
            self.last["request_errors"].append(f"{member.spec.name}: {err}")
            return
        budget.spend(len(samples))
        for k, sample in enumerate(samples):
            self.last["samples"] += 1
            origin = f"{member.spec.model} t={temperature:g} sample={k} round={round_}"
            cand = program_candidate(sample.text, task, member.proposer, origin,
                                     member.spec.weight)
            if isinstance(cand, DSLError):
                self.last["errors"][_error_kind(cand)] += 1
                if len(self.last["examples"]) < MAX_ERRORS_KEPT:
                    self.last["examples"].append(str(cand))
                continue
            if cand.program in self.seen:
                self.last["duplicates"] += 1
                continue
            self.seen.add(cand.program)
            self.last["candidates"] += 1
            if not train_matches(cand.train_outputs, task):
                accuracy = train_accuracy(cand.train_outputs, task)
                if accuracy >= MIN_REFINE_ACCURACY:
                    keep_best(near, (accuracy, -self.last["samples"], cand), N_REFINED)
            yield cand

    def _refine(self, member: Member, prompt: str, task: Challenge, budget: Budget,
                near: list[tuple[float, int, ProgramCandidate]]) -> Iterator[Candidate]:
        """Send the closest near misses back with their mistakes, `refine` rounds."""
        for round_ in range(1, self.refine + 1):
            previous = sorted(near, key=lambda item: item[:2], reverse=True)
            near.clear()
            for _, _, cand in previous:
                if budget.expired():
                    return
                fix = refine_prompt(prompt, cand.program, task, cand.train_outputs)
                yield from self._sample(member, fix, member.spec.temperatures[0], 1, round_,
                                        task, budget, near)

