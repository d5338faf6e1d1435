"""The decoding grammar under llguidance: it compiles, takes every golden `solve` program,
refuses what the DSL parser would refuse, and everything it lets through parses."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("llguidance")
pytest.importorskip("transformers")

from llguidance import LLMatcher  # noqa: E402

from dsl.parser import parse_program  # noqa: E402
from dsl.registry import default_registry  # noqa: E402
from synth.data.golden import LIBRARY_ROOT, library_files  # noqa: E402
from synth.models.grammar import decoding_grammar, grammar_problem  # noqa: E402

HEADER = "solve(I: Grid) -> Grid:\n"


@pytest.fixture(scope="module")
def grammar() -> str:
    return decoding_grammar(default_registry())


@pytest.fixture(scope="module")
def decoder(tiny_model_dir: Path):
    """The llguidance side of the transformers backend, on the tiny DSL tokenizer."""
    from transformers import AutoTokenizer

    from synth.models.local import GrammarDecoder

    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir, local_files_only=True)
    return GrammarDecoder(tokenizer, len(tokenizer), [tokenizer.eos_token_id], threads=1)


def golden_solve_programs() -> list[Path]:
    """Golden programs that are one `solve` and no `def`."""
    return [p for p in library_files(LIBRARY_ROOT / "arc1-train")
            if "\ndef " not in "\n" + p.read_text(encoding="utf-8")]


def matcher_after(decoder, grammar: str, text: str):
    """A matcher that has consumed `text` (tokenized as the tokenizer does), and whether it
    took every token."""
    matcher = decoder.matcher(grammar)
    took = matcher.consume_tokens(decoder.ll.tokenize_str(text))
    return matcher, took


def accepts(decoder, grammar: str, text: str) -> bool:
    matcher, took = matcher_after(decoder, grammar, text)
    return took and matcher.is_accepting()


def test_llguidance_compiles_the_grammar(grammar: str) -> None:
    assert grammar_problem(grammar) is None
    _, warnings = LLMatcher.validate_grammar_with_warnings(LLMatcher.grammar_from_lark(grammar))
    assert warnings == []


def test_a_broken_grammar_is_reported_in_one_line() -> None:
    problem = grammar_problem('start: "a" missing_rule\n')
    assert problem and "missing_rule" in problem and "\n" not in problem


def test_the_grammar_is_derived_from_the_registry(grammar: str) -> None:
    registry = default_registry()
    assert all(f'"{p.name}"' in grammar for p in registry)
    assert "%" + "PRIMITIVES%" not in grammar


def test_python_lark_reads_the_grammar_too(grammar: str) -> None:
    from lark import Lark

    parser = Lark(grammar, parser="earley", lexer="dynamic")
    parser.parse(golden_solve_programs()[0].read_text(encoding="utf-8"))


def test_every_golden_solve_program_is_accepted(decoder, grammar: str) -> None:
    programs = golden_solve_programs()
    assert len(programs) > 200
    refused = [p.name for p in programs
               if not accepts(decoder, grammar, p.read_text(encoding="utf-8"))]
    assert refused == []


def test_the_answer_line_ends_the_program(decoder, grammar: str) -> None:
    matcher, took = matcher_after(decoder, grammar, HEADER + "    x1 = rot90(I)\n")
    assert took and matcher.is_accepting() and not matcher.is_stopped()
    matcher, took = matcher_after(decoder, grammar, HEADER + "    O = rot90(I)\n")
    assert took and matcher.is_stopped(), "nothing may follow the `O` line"


@pytest.mark.parametrize("text", [
    HEADER + "    O = frobnicate(I)\n",                      # unknown primitive
    HEADER + "    O = objects(I, connect=8, I)\n",            # positional after keyword
    HEADER + "    O = objects(I, colour=8)\n",                # unknown keyword
    HEADER + "    O = replace(I, blue, purple)\n",           # unknown colour name
    HEADER + "  O = rot90(I)\n",                              # not the canonical indent
    HEADER + "    O = rot90(I)\n    x1 = rot90(I)\n",         # a line after the answer
    HEADER + "    y = rot90(I)\n",                            # not a variable of the layout
    "def f(I: Grid) -> Grid:\n    O = rot90(I)\n",            # not `solve`
    HEADER,                                                   # no statement
])
def test_texts_the_grammar_refuses(decoder, grammar: str, text: str) -> None:
    assert not accepts(decoder, grammar, text)


def test_random_walks_through_the_grammar_always_parse(decoder, grammar: str) -> None:
    """Uniformly random allowed tokens, then the shortest completion: 300 programs, all of
    which the DSL parser reads."""
    rng = np.random.default_rng(0)
    eos = decoder.ll.eos_token
    for _ in range(300):
        matcher = decoder.matcher(grammar)
        tokens: list[int] = []
        depth = 0
        for _ in range(int(rng.integers(1, 40))):
            allowed = np.flatnonzero(decoder.masks([matcher])[0])
            token = int(rng.choice(allowed))
            if token == eos or matcher.is_stopped():
                break
            assert matcher.consume_token(token)
            tokens.append(token)
            depth += int(decoder.depth_delta[token])
        rest = decoder.completion(matcher, depth)
        assert rest is not None and matcher.consume_tokens(rest) and matcher.is_accepting()
        parse_program(decoder.ll.decode_str(tokens + rest))
