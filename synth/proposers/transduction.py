"""The `transduction` proposer: models write the test output grids directly.

For each member of the models file with role `transduction` and each of `views` augmented
views of the task (`synth.data.augment.views`: D8 × colour permutations keeping the
background × train orders, the identity first), the member is asked for each test output
(sampled, `samples` per view; or, for a member with `dfs_threshold`, every answer above that
probability by depth-first decoding, at most the member's `samples`) — after test-time
training on the task's own pairs for members with `ttt` set (`synth.models.tuning`: a per-task
LoRA adapter, trained here or on the model server that holds the member, at most half the
stage's time, skipped with one line when its estimated time cannot fit); answers that parse
as grids (`synth.models.gridtext`) are mapped back with the view's inverse. Every distinct candidate is then scored under every view
— the summed log-probability of its augmented text after that view's prompt (a product of
experts) — and the best and second best per test input become `GridCandidate`s credited to
`transduction:NAME` with the member's weight, a confidence (the softmax share of the
candidate's summed score among the candidates) and the per-view scores in the stats. They meet
program answers in the merged ranking (below verified programs, above partial matches).

`mode`: `fallback` runs only when the pool holds no program that is exact on every train pair;
`always` runs regardless (with its budget share). Malformed model output is a counted
rejection, never an exception.
"""
from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from dsl.values import value_key
from synth.analysis.features import TaskAnalysis
from synth.data.augment import Augmentation, forward_challenge, forward_grid, inverse_grid, views
from synth.data.scoring import train_matches
from synth.data.task import Challenge, Grid
from synth.models.base import GenerateParams, ModelError, ModelUnavailable
from synth.models.gridtext import GridTextError, grid_to_text, parse_grid_text, tokens_per_cell
from synth.models.prompts import transduction_prompt
from synth.models.tuning import adapted
from synth.proposers.base import Budget, Candidate, GridCandidate, Pool
from synth.proposers.llm import Member, role_members

STOP: tuple[str, ...] = ("\n\n", "input:", "output:")
CELLS_PER_TOKEN_BUDGET = 1.2
TTT_SHARE = 0.5


@dataclass(frozen=True)
class Scored:
    """A distinct answer for one test input, with its summed and per-view scores."""

    grid: Grid
    total: float
    per_view: tuple[float, ...]


def answer_budget(task: Challenge, test_index: int) -> int:
    """Max new tokens for one answer: the largest train output (or the test input), with a
    margin, as cells plus line breaks."""
    sizes = [ex.output.size + ex.output.shape[0] for ex in task.train]
    grid = task.test_inputs[test_index]
    return int(max(*sizes, grid.size + grid.shape[0]) * CELLS_PER_TOKEN_BUDGET) + 8


def answer_params(member: Member, samples: int, temperature: float, seed: int,
                  max_new_tokens: int) -> GenerateParams:
    """How a member is asked for grids: sampled (`samples` per view), or, for a member with
    `dfs_threshold`, depth-first (every answer above the threshold, at most its `samples`)."""
    threshold = member.spec.dfs_threshold
    return GenerateParams(n=member.spec.samples if threshold else samples,
                          temperature=temperature, max_new_tokens=max_new_tokens, stop=STOP,
                          seed=seed, dfs_threshold=threshold)


def softmax_shares(totals: Sequence[float]) -> list[float]:
    """exp(total) normalised over the candidates (numerically stable)."""
    top = max(totals)
    weights = [math.exp(t - top) for t in totals]
    mass = sum(weights)
    return [w / mass for w in weights]


def cells_share_tokens(member: Member) -> bool:
    """Whether a local member's tokenizer merges grid cells (False when it keeps one token
    per cell, or when the backend has no tokenizer to ask)."""
    tokenizer = getattr(member.backend, "tokenizer", None)
    if tokenizer is None:
        return False
    return not tokens_per_cell(lambda text: tokenizer(text, add_special_tokens=False)
                               ["input_ids"])


@dataclass
class TransductionProposer:
    """Direct-output answers from the transduction members of a models file."""

    models_file: str | None = None
    views: int = 8
    samples: int = 1
    temperature: float = 0.0
    mode: str = "fallback"
    seed: int = 0
    name: str = "transduction"
    members: tuple[Member, ...] = ()
    skipped: tuple[str, ...] = ()
    last: dict[str, Any] = field(default_factory=dict)

    def warm_up(self) -> None:
        """Load the members once per process; one stderr line per member that cannot load."""
        if self.members or self.skipped:
            return
        self.members, self.skipped = role_members(self.models_file, "transduction")
        for member in self.members:
            if cells_share_tokens(member):
                print(f"synth: warning: model {member.spec.name}'s tokenizer does not spend "
                      f"one token per grid cell; its grid answers may suffer", file=sys.stderr)

    def stats(self) -> dict[str, Any]:
        """Answers, rejections by reason, and per member and test input the top candidates'
        per-view scores."""
        return dict(self.last)

    def propose(self, task: Challenge, analysis: TaskAnalysis, budget: Budget, pool: Pool
                ) -> Iterator[Candidate]:
        self.warm_up()
        self.last = {"members": [m.spec.name for m in self.members], "skipped": list(self.skipped),
                     "answers": 0, "rejected": Counter(), "request_errors": [], "scores": {},
                     "ttt": {}}
        solved = any(train_matches(c.train_outputs, task) for c in pool.programs())
        if not self.members or (self.mode == "fallback" and solved):
            self.last["ran"] = False
            return
        self.last["ran"] = True
        augs = views(task, self.views, self.seed, background=analysis.background)
        self.last["views"] = [a.key for a in augs]
        for member in self.members:
            with ExitStack() as stack:
                answering = self._adapt(member, task, augs, budget, stack)
                ranked = [self._rank(answering, task, augs, t, budget)
                          for t in range(len(task.test_inputs))]
            if any(not r for r in ranked):
                continue
            yield from self._answers_of(member, ranked)
        self.last["rejected"] = dict(self.last["rejected"])

    def _answers_of(self, member: Member, ranked: Sequence[list[Scored]]
                    ) -> Iterator[GridCandidate]:
        """The best, then the second best, answer per test input as grid candidates."""
        for place in (0, 1):
            if place == 1 and all(len(r) == 1 for r in ranked):
                return
            chosen = [r[min(place, len(r) - 1)] for r in ranked]
            shares = [softmax_shares([s.total for s in r])[min(place, len(r) - 1)]
                      for r in ranked]
            yield GridCandidate(tuple(s.grid for s in chosen),
                                f"transduction:{member.spec.name}", math.prod(shares),
                                member.spec.weight)

    def _adapt(self, member: Member, task: Challenge, augs: Sequence[Augmentation],
               budget: Budget, stack: ExitStack) -> Member:
        """Test-time training for members that ask for it (`ttt` in the models file), here
        or on the model server that holds the member, with at most `TTT_SHARE` of the
        remaining time; the member to answer with. A member that cannot train answers as it
        is, with one line in the stats."""
        if member.spec.ttt is None:
            return member
        try:
            run, backend = stack.enter_context(adapted(member.backend, task, augs,
                                                       member.spec.ttt, self.seed,
                                                       budget.remaining() * TTT_SHARE))
        except (ModelUnavailable, ModelError) as err:
            reason = err.reason if isinstance(err, ModelUnavailable) else str(err)
            self.last["ttt"][member.spec.name] = f"skipped: {reason}"
            return member
        self.last["ttt"][member.spec.name] = asdict(run)
        return replace(member, backend=backend)

    def _rank(self, member: Member, task: Challenge, augs: Sequence[Augmentation],
              test_index: int, budget: Budget) -> list[Scored]:
        """The distinct answers for one test input, best first by summed score over views."""
        found: dict[object, Grid] = {}
        prompts = [transduction_prompt(forward_challenge(a, task), test_index) for a in augs]
        params = answer_params(member, self.samples, self.temperature, self.seed,
                               answer_budget(task, test_index))
        for aug, prompt in zip(augs, prompts):
            if budget.expired():
                break
            for grid in self._answers(member, prompt, params):
                original = inverse_grid(aug, grid)
                found.setdefault(value_key(original), original)
            budget.spend(params.n)
        scored = [self._score(member, augs, prompts, grid) for grid in found.values()]
        scored = sorted((s for s in scored if s is not None), key=lambda s: -s.total)
        key = f"{member.spec.name}[{test_index}]"
        self.last["scores"][key] = [list(s.per_view) for s in scored[:2]]
        return scored

    def _answers(self, member: Member, prompt: str, params: GenerateParams) -> list[Grid]:
        """The grids of one generate call; failures and malformed texts are counted."""
        try:
            (samples,) = member.backend.generate([prompt], params)
        except (ModelError, ModelUnavailable) as err:
            self.last["request_errors"].append(f"{member.spec.name}: {err}")
            return []
        grids = []
        for sample in samples:
            grid = parse_grid_text(sample.text)
            if isinstance(grid, GridTextError):
                self.last["rejected"][grid.reason] += 1
            else:
                self.last["answers"] += 1
                grids.append(grid)
        return grids

    def _score(self, member: Member, augs: Sequence[Augmentation], prompts: Sequence[str],
               grid: Grid) -> Scored | None:
        """Product of experts: the candidate's log-probability under every view."""
        per_view = []
        for aug, prompt in zip(augs, prompts):
            try:
                (logprob,) = member.backend.score(prompt, [grid_to_text(forward_grid(aug, grid))
                                                           + "\n"])
            except (ModelError, ModelUnavailable) as err:
                self.last["request_errors"].append(f"{member.spec.name}: {err}")
                return None
            per_view.append(round(float(logprob), 4))
        return Scored(grid, sum(per_view), tuple(per_view))
