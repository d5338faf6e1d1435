"""The transduction proposer with a scripted grid model: augment, answer, de-augment, score
across views, and meet the program answers in the ranking."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, make_grid
from synth.models.base import GenerateParams, Sample, Usage
from synth.models.gridtext import grid_to_text, parse_grid_text
from synth.models.spec import ModelSpec
from synth.proposers.base import Budget, GridCandidate, Pool, ProgramCandidate
from synth.proposers.llm import Member
from synth.proposers.registry import Stage
from synth.proposers.transduction import TransductionProposer, softmax_shares
from synth.run.config import SolveConfig
from synth.run.solve import solve_task

TURN = Challenge("turn", (Example(make_grid([[1, 2, 0], [3, 4, 0]]),
                                  make_grid([[0, 4, 3], [0, 2, 1]])),
                          Example(make_grid([[5, 0, 6]]), make_grid([[6, 0, 5]]))),
                 (make_grid([[7, 8, 0], [0, 0, 9]]),))
ANSWER = make_grid([[9, 0, 0], [0, 8, 7]])


def last_input(prompt: str) -> np.ndarray:
    """The grid after the prompt's last `input:` line."""
    block = prompt.rsplit("input:\n", 1)[1].split("\noutput:", 1)[0]
    grid = parse_grid_text(block)
    assert not hasattr(grid, "reason"), block
    return grid


@dataclass
class MirrorModel:
    """Answers the half turn of the prompt's test input — right under every view, since a
    half turn commutes with every D8 element and colour permutation — plus junk text when
    asked; scores the half turn high and anything else low."""

    junk: bool = False
    name: str = "mirror"
    usage: Usage = field(default_factory=Usage)
    calls: int = 0

    def truth(self, prompt: str) -> str:
        return grid_to_text(last_input(prompt)[::-1, ::-1]) + "\n"

    def generate(self, prompts: Sequence[str], params: GenerateParams) -> list[list[Sample]]:
        self.calls += 1
        out = []
        for prompt in prompts:
            texts = [self.truth(prompt), "12\n3"] if self.junk else [self.truth(prompt)]
            out.append([Sample(t, -1.0, 4) for t in texts[:max(params.n, len(texts))]])
        return out

    def score(self, prompt: str, continuations: Sequence[str]) -> list[float]:
        return [-0.5 if c == self.truth(prompt) else -9.0 for c in continuations]


def member(model: MirrorModel, weight: float = 0.4) -> Member:
    return Member(ModelSpec("mirror", "server", "mirror-model", role="transduction",
                            weight=weight), model)


def test_answers_are_de_augmented_scored_across_views_and_credited() -> None:
    proposer = TransductionProposer(views=4, members=(member(MirrorModel()),))
    found = list(proposer.propose(TURN, analyse(TURN), Budget.from_seconds(10), Pool()))
    assert len(found) == 1 and isinstance(found[0], GridCandidate)
    (cand,) = found
    assert np.array_equal(cand.test_outputs[0], ANSWER)
    assert cand.proposer == "transduction:mirror" and cand.weight == 0.4
    assert cand.confidence == 1.0
    stats = proposer.stats()
    assert len(stats["views"]) == 4 and stats["views"][0] == "id"
    assert stats["scores"]["mirror[0]"] == [[-0.5] * 4]


def test_malformed_answers_are_counted_rejections() -> None:
    proposer = TransductionProposer(views=2, samples=2, members=(member(MirrorModel(junk=True)),))
    found = list(proposer.propose(TURN, analyse(TURN), Budget.from_seconds(10), Pool()))
    assert np.array_equal(found[0].test_outputs[0], ANSWER)
    assert proposer.stats()["rejected"] == {"ragged rows": 2}


def test_fallback_mode_stays_quiet_once_a_program_fits() -> None:
    model = MirrorModel()
    exact = ProgramCandidate("p", "enumerative", tuple(ex.output for ex in TURN.train), (ANSWER,))
    proposer = TransductionProposer(views=2, members=(member(model),))
    assert list(proposer.propose(TURN, analyse(TURN), Budget.from_seconds(5), Pool([exact]))) == []
    assert model.calls == 0 and proposer.stats()["ran"] is False
    always = TransductionProposer(views=2, mode="always", members=(member(model),))
    assert list(always.propose(TURN, analyse(TURN), Budget.from_seconds(5), Pool([exact])))


def test_solve_answers_with_the_grid_model_and_names_it() -> None:
    stage = Stage(TransductionProposer(views=4, members=(member(MirrorModel()),)), 1.0)
    solution = solve_task(TURN, SolveConfig(time_limit=10), [stage])
    assert solution.program is None and solution.proposer == "transduction:mirror"
    assert np.array_equal(solution.attempts[0][0], ANSWER)


def test_softmax_shares_sum_to_one() -> None:
    shares = softmax_shares([-1.0, -2.0, -1000.0])
    assert abs(sum(shares) - 1.0) < 1e-9 and shares[0] > shares[1] > shares[2] >= 0.0


def test_a_tokenizer_that_merges_cells_is_flagged() -> None:
    from synth.proposers.transduction import cells_share_tokens

    @dataclass
    class CharBackend(MirrorModel):
        def tokenizer(self, text: str, add_special_tokens: bool = False) -> dict:
            return {"input_ids": list(text)}

    @dataclass
    class PairBackend(MirrorModel):
        def tokenizer(self, text: str, add_special_tokens: bool = False) -> dict:
            return {"input_ids": [text[i:i + 2] for i in range(0, len(text), 2)]}

    assert not cells_share_tokens(member(CharBackend()))
    assert cells_share_tokens(member(PairBackend()))
    assert not cells_share_tokens(member(MirrorModel())), "no tokenizer: nothing to say"


def test_a_member_with_a_dfs_threshold_is_asked_depth_first() -> None:
    @dataclass
    class Recording(MirrorModel):
        seen: list[GenerateParams] = field(default_factory=list)

        def generate(self, prompts: Sequence[str], params: GenerateParams
                     ) -> list[list[Sample]]:
            self.seen.append(params)
            return super().generate(prompts, params)

    model = Recording()
    dfs = Member(ModelSpec("mirror", "server", "m", role="transduction", samples=5,
                           dfs_threshold=0.1), model)
    found = list(TransductionProposer(views=2, members=(dfs,)).propose(
        TURN, analyse(TURN), Budget.from_seconds(10), Pool()))
    assert np.array_equal(found[0].test_outputs[0], ANSWER)
    assert {(p.n, p.dfs_threshold) for p in model.seen} == {(5, 0.1)}
