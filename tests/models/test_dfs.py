"""Depth-first decoding above a probability threshold: exactly the sequences a brute-force
enumeration keeps, most probable first — on a made-up distribution over a tiny vocabulary, and
on the tiny random Llama through `TransformersBackend.generate`."""
from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from synth.models.dfs import dfs_sequences

VOCAB, EOS, MAX_LEN = 4, 0, 4


def toy_logprobs(prefix: tuple[int, ...]) -> np.ndarray:
    """A fixed random next-token distribution per prefix (seeded by the prefix)."""
    rng = np.random.default_rng(abs(hash(prefix)) % 2**32)
    logits = rng.normal(size=VOCAB) * 2.0
    return logits - np.log(np.exp(logits).sum())


def brute_force(threshold: float) -> list[tuple[tuple[int, ...], float]]:
    """Every complete sequence (ended by EOS, or MAX_LEN long) and its log-probability, kept
    when its probability is at least the threshold."""
    kept = []
    for length in range(1, MAX_LEN + 1):
        for seq in itertools.product(range(VOCAB), repeat=length):
            if EOS in seq[:-1] or (length < MAX_LEN and seq[-1] != EOS):
                continue
            total = sum(float(toy_logprobs(seq[:i])[seq[i]]) for i in range(length))
            if total >= math.log(threshold):
                kept.append((seq, total))
    return sorted(kept, key=lambda item: -item[1])


@pytest.mark.parametrize("threshold", [0.3, 0.05, 0.01, 0.001])
def test_dfs_keeps_exactly_the_sequences_above_the_threshold(threshold: float) -> None:
    calls: list[tuple[int, ...]] = []

    def counted(prefix: tuple[int, ...]) -> np.ndarray:
        calls.append(prefix)
        return toy_logprobs(prefix)

    found = dfs_sequences(counted, lambda ids: ids[-1] == EOS, threshold, MAX_LEN, 10_000)
    expected = brute_force(threshold)
    assert [ids for ids, _ in found] == [ids for ids, _ in expected]
    assert [lp for _, lp in found] == pytest.approx([lp for _, lp in expected])
    assert all(a[1] >= b[1] for a, b in zip(found, found[1:])), "most probable first"
    assert len(calls) <= 1 + len(found) * MAX_LEN / threshold
    for before, after in zip(calls, calls[1:]):
        assert after[:-1] == before[:len(after) - 1], "each call extends an earlier prefix"


def test_dfs_stops_at_the_cap_and_checks_the_threshold() -> None:
    found = dfs_sequences(toy_logprobs, lambda ids: ids[-1] == EOS, 0.001, MAX_LEN, 3)
    assert len(found) == 3
    with pytest.raises(ValueError, match="threshold"):
        dfs_sequences(toy_logprobs, lambda ids: True, 0.0, MAX_LEN, 3)


def test_the_backend_decodes_depth_first_like_a_brute_force(tiny_model_dir: Path) -> None:
    torch = pytest.importorskip("torch")
    from synth.models.base import GenerateParams
    from synth.models.local import TransformersBackend
    from synth.models.spec import ModelSpec

    backend = TransformersBackend(ModelSpec("tiny", "transformers", str(tiny_model_dir),
                                            device="cpu"))
    prompt = "input:\n12\noutput:\n"
    head = backend._encode(prompt)
    with torch.inference_mode():
        first = torch.log_softmax(backend.model(input_ids=torch.tensor([head])).logits[0, -1]
                                  .float(), -1)
        batch = torch.tensor([head + [t] for t in range(backend.n_vocab)])
        second = torch.log_softmax(backend.model(input_ids=batch).logits[:, -1].float(), -1)
    totals = first[:, None] + second                       # every two-token sequence
    eos = backend.eos_ids[0]
    complete = [((t1, t2), float(totals[t1, t2])) for t1 in range(backend.n_vocab)
                if t1 != eos for t2 in range(backend.n_vocab)] + [((eos,), float(first[eos]))]
    complete.sort(key=lambda item: -item[1])
    # keep the top 25 or so: cut where the next sequence is clearly less probable, so that
    # float noise between cached and batched decoding cannot move a near-tie across the cut
    keep = next(k for k in range(25, len(complete)) if complete[k - 1][1] - complete[k][1] > 1e-3)
    threshold = math.exp((complete[keep - 1][1] + complete[keep][1]) / 2)
    samples, = backend.generate([prompt], GenerateParams(n=100, max_new_tokens=2,
                                                         dfs_threshold=threshold))
    assert [s.logprob for s in samples] == pytest.approx([lp for _, lp in complete[:keep]],
                                                         abs=1e-4)
    assert [s.text for s in samples] == [backend.tokenizer.decode(list(ids),
                                                                  skip_special_tokens=True)
                                         for ids, _ in complete[:keep]]
    none, = backend.generate([prompt], GenerateParams(n=4, max_new_tokens=2,
                                                      dfs_threshold=0.9))
    assert len(none) == 1, "nothing reaches the threshold: the greedy answer"


def test_the_models_file_selects_dfs_per_member(tmp_path: Path) -> None:
    from synth.data.errors import InputError
    from synth.models.spec import load_models_file

    file = tmp_path / "m.toml"
    file.write_text('[[model]]\nname = "a"\nbackend = "transformers"\nmodel = "x"\n'
                    'role = "transduction"\ndfs_threshold = 0.1\n'
                    '[[model]]\nname = "b"\nbackend = "transformers"\nmodel = "x"\n')
    assert [s.dfs_threshold for s in load_models_file(file)] == [0.1, None]
    file.write_text('[[model]]\nname = "a"\nbackend = "transformers"\nmodel = "x"\n'
                    'dfs_threshold = 1.5\n')
    with pytest.raises(InputError, match="dfs_threshold"):
        load_models_file(file)
