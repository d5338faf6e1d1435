"""Depth-first decoding that keeps every sequence above a probability threshold (the
ARChitects' sampler): instead of sampling, walk the tree of continuations, most probable child
first, and prune a branch as soon as its cumulative probability falls below the threshold.

Since a prefix is never more probable than its extensions are improbable, the pruning is exact:
the leaves reached are exactly the complete sequences (ended by the model, a stop string or the
length limit) whose probability is at least the threshold, and at most 1 / threshold of them
exist. `dfs_sequences` is the pure walk over a `next_logprobs(prefix)` callback; the backend
(`synth.models.local`) supplies it with one key/value cache that it crops on backtracking, so
every node costs one token's forward pass.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

Ids = tuple[int, ...]


def dfs_sequences(next_logprobs: Callable[[Ids], np.ndarray], is_end: Callable[[Ids], bool],
                  threshold: float, max_len: int, max_count: int
                  ) -> list[tuple[Ids, float]]:
    """The complete sequences with probability >= `threshold` and their summed log-probability,
    most probable first; at most `max_count` (the walk stops once it has found that many).

    `next_logprobs(ids)` gives the log-probabilities of the next token after `ids` (the
    callback is called in depth-first order: every call's `ids` extends a prefix of the
    previous call's, so a backend can keep one cache and crop it). A child is complete when
    `is_end(child)` or it reaches `max_len` tokens."""
    if not 0 < threshold <= 1:
        raise ValueError(f"the threshold must be in (0, 1], got {threshold}")
    floor = math.log(threshold)
    found: list[tuple[Ids, float]] = []
    stack: list[tuple[Ids, float]] = [((), 0.0)]
    while stack and len(found) < max_count:
        ids, logprob = stack.pop()
        row = np.asarray(next_logprobs(ids), dtype=np.float64)
        keep = np.flatnonzero(row >= floor - logprob)
        for token in keep[np.argsort(row[keep], kind="stable")]:  # most probable pushed last
            child, total = (*ids, int(token)), logprob + float(row[token])
            if is_end(child) or len(child) >= max_len:
                found.append((child, total))
            else:
                stack.append((child, total))
    return sorted(found, key=lambda item: -item[1])[:max_count]
