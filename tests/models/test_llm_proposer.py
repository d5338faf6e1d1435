"""The llm proposer with a scripted backend: model text becomes candidates or counted,
positioned DSL errors (never an exception), credited to the member, refined on mistakes."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hypothesis import given, settings
from hypothesis import strategies as st

from dsl.errors import DSLError, DSLParseError
from synth.analysis.features import analyse
from synth.data.task import Challenge, Example, make_grid
from synth.models.base import GenerateParams, ModelError, Sample, Usage
from synth.models.prompts import extract_program, refine_prompt
from synth.models.spec import ModelSpec
from synth.proposers.base import Budget, Pool, ProgramCandidate
from synth.proposers.llm import LLMProposer, Member, program_candidate, sweep
from synth.select.verify import verified

FLIP = Challenge("flip", (Example(make_grid([[1, 2], [3, 4]]), make_grid([[2, 1], [4, 3]])),
                          Example(make_grid([[5, 0, 0]]), make_grid([[0, 0, 5]]))),
                 (make_grid([[7, 8]]),))
RIGHT = "solve(I: Grid) -> Grid:\n    O = flip_h(I)\n"
CLOSE = "solve(I: Grid) -> Grid:\n    O = rot180(I)\n"


@dataclass
class ScriptedBackend:
    """Answers each generate call with the next list of replies; records the prompts."""

    replies: list[list[str]]
    name: str = "scripted"
    usage: Usage = field(default_factory=Usage)
    prompts: list[str] = field(default_factory=list)
    params: list[GenerateParams] = field(default_factory=list)

    def generate(self, prompts: Sequence[str], params: GenerateParams) -> list[list[Sample]]:
        self.prompts.extend(prompts)
        self.params.append(params)
        if not self.replies:
            raise ModelError("no more scripted replies")
        texts = self.replies.pop(0)
        return [[Sample(t, -1.0, 5) for t in texts[:params.n]]]

    def score(self, prompt: str, continuations: Sequence[str]) -> list[float]:
        return [0.0 for _ in continuations]


def proposer(replies: list[list[str]], refine: int = 0, **spec: object
             ) -> tuple[LLMProposer, ScriptedBackend]:
    backend = ScriptedBackend(replies)
    member = Member(ModelSpec("tiny", "server", "tiny-model", weight=0.3, **spec), backend)
    return LLMProposer(samples=2, refine=refine, members=(member,)), backend


def run(llm: LLMProposer, seconds: float = 10.0) -> list[ProgramCandidate]:
    return list(llm.propose(FLIP, analyse(FLIP), Budget.from_seconds(seconds), Pool()))


def test_a_right_program_is_a_verified_candidate_credited_to_the_member() -> None:
    llm, backend = proposer([["```\n" + RIGHT + "```", "not a program at all"]])
    (cand,) = run(llm)
    assert verified(cand, FLIP) and cand.proposer == "llm:tiny" and cand.weight == 0.3
    assert cand.origin == "tiny-model t=0.7 sample=0 round=0"
    stats = llm.stats()
    assert stats["samples"] == 2 and stats["candidates"] == 1 and stats["errors"] == {"parse": 1}
    assert "line 1" in stats["examples"][0]
    assert "flip_h(grid: Grid) -> Grid" in backend.prompts[0], "the prompt has the reference"
    assert "12\n34" in backend.prompts[0], "the prompt has the task as text grids"


def test_near_misses_are_refined_with_their_mistakes() -> None:
    llm, backend = proposer([[CLOSE, CLOSE], [RIGHT]], refine=1)
    found = run(llm)
    assert [c.program for c in found] == [CLOSE, RIGHT]
    refine = backend.prompts[1]
    assert "right on 1 of 2 examples" in refine and "wrong cells" in refine
    assert found[1].origin.endswith("round=1")


def test_a_failing_request_is_recorded_and_the_search_goes_on() -> None:
    llm, _ = proposer([])
    assert run(llm) == []
    assert llm.stats()["request_errors"] == ["tiny: no more scripted replies"]


def test_the_temperature_sweep_spreads_the_samples() -> None:
    assert sweep((0.3, 0.7, 1.0), 8) == [(0.3, 3), (0.7, 3), (1.0, 2)]
    assert sweep((0.3, 0.7), 1) == [(0.3, 1)]
    llm, backend = proposer([[RIGHT], [RIGHT]], temperatures=(0.2, 0.9))
    run(llm)
    assert [(p.temperature, p.n) for p in backend.params] == [(0.2, 1), (0.9, 1)]


def test_constrained_members_get_the_grammar() -> None:
    llm, backend = proposer([[RIGHT, RIGHT]])
    llm.constrained_grammar = "start: x"
    run(llm)
    assert backend.params[0].grammar == "start: x"
    free, backend = proposer([[RIGHT, RIGHT]], constrained=False)
    free.constrained_grammar = "start: x"
    run(free)
    assert backend.params[0].grammar is None


def test_extract_program_takes_the_fenced_block_or_the_solve_line() -> None:
    assert extract_program("Sure!\n```python\n" + RIGHT + "```\nDone.") == RIGHT
    assert extract_program("Here it is:\n" + RIGHT) == RIGHT


def test_refine_prompt_lists_wrong_pairs() -> None:
    outputs = (make_grid([[4, 3], [2, 1]]), None)
    text = refine_prompt("BASE\n", CLOSE, FLIP, outputs)
    assert text.startswith("BASE\n" + CLOSE.strip())
    assert "pair 0: 4 wrong cells" in text and "pair 1: the program failed" in text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("solve(I: Grid)->O=x1,rot90flip_h[]0123\n lambda:#`")),
               max_size=80) | st.text(max_size=60))
def test_any_model_text_is_a_candidate_or_a_positioned_dsl_error(text: str) -> None:
    result = program_candidate(text, FLIP, "llm:t", "origin", 0.0)
    assert isinstance(result, (ProgramCandidate, DSLError))
    if isinstance(result, DSLParseError):
        assert result.line >= 1
