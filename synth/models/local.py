"""The `transformers` backend: a local causal language model (optionally with a LoRA adapter)
that samples, scores and decodes under a grammar, on CPU or one GPU.

`TransformersBackend(spec)` loads the tokenizer and model from a local folder, or from the
local Hugging Face cache for a hub id (never from the network), on `spec.device` (`auto`:
CUDA when there is one), float32 on CPU and bfloat16 on CUDA — unless its weights
(`synth.models.footprint`) cannot fit the memory available there, when it is skipped with one
line before anything loads — and merges `spec.adapter` (a
peft LoRA folder) into it. `generate` runs its own decoding loop: every prompt is encoded
once, its key/value cache copied to its `n` rows, rows of several prompts share a batch, and
finished rows leave it. Sampling uses one seeded `torch.Generator` per call, so the same call
gives the same samples. A sample's `logprob` is the model's own log-probability (temperature
1, before any grammar mask) summed over every token the row generated, and `tokens` counts
them (an end-of-sequence token included when the model chose it).

With `params.grammar` (Lark syntax, see `synth.models.grammar`) every row has an llguidance
`LLMatcher` (the grammar compiled once per backend, then copied): the tokens it disallows are
masked before sampling (`LLExecutor` fills a bitmask per row) and each chosen token advances
it. A row ends when the model chooses end-of-sequence (allowed only where the grammar may
end) or when the grammar cannot go on. Near `max_new_tokens` a row finishes its text instead
of being cut: from `FINISH_WINDOW` tokens before the limit, `GrammarDecoder.completion` finds
a short text that completes the grammar, and once that completion plus `FINISH_MARGIN` needs
all the tokens left, it is forced token by token (the search runs again only when the
completion could have grown to need the slack). `GrammarDecoder.stats` counts mask time,
searches, forced completions and any row that still ended unfinished.

With `params.dfs_threshold` set, `generate` decodes depth-first instead (`synth.models.dfs`):
per prompt, every complete sequence whose probability is at least the threshold (at most `n`,
most probable first), walked with one key/value cache that is cropped on backtracking; where
no sequence reaches the threshold, the greedy one (so a prompt never gets no answer).
`use_adapter(path)` answers with a peft LoRA adapter on top of the loaded weights from then on
(None: the base weights again); the adapter stays attached until another is asked for, which
is how synth's model server switches per-task adapters between batches.
"""
from __future__ import annotations

import heapq
import inspect
import itertools
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from synth.models.base import GenerateParams, ModelError, ModelUnavailable, Sample, Usage
from synth.models.availability import local_folder, missing_extra, weights_problem
from synth.models.dfs import dfs_sequences
from synth.models.footprint import available_memory, memory_problem, parameter_count
from synth.models.spec import ModelSpec

MAX_BATCH_ROWS = 64      # rows decoded together (prompts x samples)
SCORE_BATCH = 8          # continuations scored together
FINISH_WINDOW = 32       # tokens before max_new_tokens from which a row plans its completion
FINISH_MARGIN = 6        # force the completion once it needs all but this many tokens
GROWTH = 3               # completion tokens one sampled token may add (spaces the searches)
SEARCH_NODES = 3000      # states the best-first completion search may expand
GREEDY_STEPS = 128       # moves the greedy completion may take before the best-first search
OPENERS, CLOSERS = b"([{", b")]}"


def _torch(spec: ModelSpec) -> Any:
    """torch, or ModelUnavailable naming the extra that brings it (and transformers)."""
    try:
        import torch
        import transformers  # noqa: F401
    except ImportError as err:
        raise missing_extra(spec, (err.name or "torch").split(".")[0]) from None
    return torch


def _files(spec: ModelSpec) -> str:
    """Where to load the model from (a folder, or a hub id read from the local cache);
    ModelUnavailable when the weights or the adapter are not there."""
    problem = weights_problem(spec)
    if problem is not None:
        raise ModelUnavailable(problem, field=f"model {spec.name}")
    folder = local_folder(spec)
    return str(folder) if folder is not None else spec.model


def _weights_folder(source: str) -> Path | None:
    """The folder holding a model's config and weights (a hub id's cached snapshot)."""
    if Path(source).is_dir():
        return Path(source)
    from huggingface_hub import try_to_load_from_cache

    config = try_to_load_from_cache(source, "config.json")
    return Path(config).parent if isinstance(config, str) else None


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@dataclass
class _Row:
    """One sample being decoded."""

    prompt: int
    ids: list[int] = field(default_factory=list)
    logprob: float = 0.0
    matcher: Any = None
    depth: int = 0
    plan: deque[int] | None = None
    check_at: int = FINISH_WINDOW
    done: bool = False


class GrammarDecoder:
    """llguidance for one tokenizer: compiled grammars (a template matcher per grammar, copied
    for each row), token masks, and the shortest text that completes a grammar."""

    def __init__(self, hf_tokenizer: Any, n_vocab: int, eos: list[int], threads: int) -> None:
        import llguidance
        import llguidance.hf

        self.ll = llguidance.hf.from_tokenizer(hf_tokenizer, n_vocab=n_vocab, eos_token=eos)
        self.n_vocab = n_vocab
        self.words = (n_vocab + 31) // 32
        self.executor = llguidance.LLExecutor(num_threads=threads)
        self._llguidance = llguidance
        self._templates: dict[str, Any] = {}
        self.depth_delta = np.zeros(n_vocab, dtype=np.int32)
        chars: dict[int, int] = {}
        for tid in range(n_vocab):
            data = self.ll.decode_bytes([tid]) if not self.ll.is_special_token(tid) else b""
            self.depth_delta[tid] = (sum(data.count(c) for c in OPENERS)
                                     - sum(data.count(c) for c in CLOSERS))
            if len(data) == 1 and (32 <= data[0] < 127 or data[0] == 10):
                chars.setdefault(data[0], tid)
        self.char_ids = np.array(sorted(chars.values()), dtype=np.int64)
        self.char_of = {tid: chr(byte) for byte, tid in chars.items()}
        self.stats = {"mask_s": 0.0, "masks": 0, "search_s": 0.0, "searches": 0,
                      "forced_completions": 0, "unfinished": 0}

    def matcher(self, grammar: str) -> Any:
        """A fresh matcher for the grammar (compiled once, then copied)."""
        template = self._templates.get(grammar)
        if template is None:
            matcher_cls = self._llguidance.LLMatcher
            template = matcher_cls(self.ll, matcher_cls.grammar_from_lark(grammar), log_level=0)
            if template.is_error():
                raise ModelError("the grammar does not compile: "
                                 + " ".join(template.get_error().split()))
            self._templates[grammar] = template
        return template.deep_copy()

    def masks(self, matchers: Sequence[Any]) -> np.ndarray:
        """The allowed tokens of each matcher, as a (rows, n_vocab) bool array (llguidance's
        32-bit words read as little-endian bytes, as on x86 and ARM)."""
        start = time.perf_counter()
        bits = np.zeros((len(matchers), self.words), dtype=np.int32)
        self.executor.unsafe_compute_mask_ptr([(m, i) for i, m in enumerate(matchers)],
                                              bits.ctypes.data, self.words * 4, len(matchers))
        allowed = np.unpackbits(bits.view(np.uint8), axis=1,
                                bitorder="little")[:, :self.n_vocab].astype(bool)
        self.stats["mask_s"] += time.perf_counter() - start
        self.stats["masks"] += len(matchers)
        return allowed

    def _steps(self, matcher: Any) -> list[tuple[int, str]]:
        """The search's moves from a state: the allowed one-character tokens, or, where the
        grammar forces bytes and llguidance allows only their canonical tokens, those."""
        allowed = np.unpackbits(np.frombuffer(matcher.compute_bitmask(), dtype=np.uint8),
                                bitorder="little")[:self.n_vocab].astype(bool)
        chars = self.char_ids[allowed[self.char_ids]]
        if len(chars):
            return [(int(t), self.char_of[int(t)]) for t in chars]
        return [(int(t), self.ll.decode_str([int(t)])) for t in np.flatnonzero(allowed)
                if not self.ll.is_special_token(int(t))]

    def completion(self, matcher: Any, depth: int) -> list[int] | None:
        """Tokens of a short text after which the grammar may end: `_greedy`, else the
        shortest by `_best_first`; written with the tokenizer's own tokens for that text when
        they are fewer and the matcher takes them. [] when it may end already; None when
        neither search finds one."""
        start = time.perf_counter()
        self.stats["searches"] += 1
        try:
            path = self._search(matcher, depth)
            if path is None:
                return None
            text = self.ll.decode_str(path)
            ids = list(self.ll.tokenize_str(text)) if text else []
            probe = matcher.deep_copy()
            if len(ids) < len(path) and probe.consume_tokens(ids) and probe.is_accepting():
                return ids
            return path
        finally:
            self.stats["search_s"] += time.perf_counter() - start

    def _search(self, matcher: Any, depth: int) -> list[int] | None:
        if matcher.is_accepting():
            return []
        path = self._greedy(matcher)
        return path if path is not None else self._best_first(matcher, depth)

    def _greedy(self, matcher: Any) -> list[int] | None:
        """One path, taking the tokens the grammar forces, else the move that closes soonest
        (`_closing_rank`); None when it does not end within `GREEDY_STEPS` moves."""
        state, path = matcher.deep_copy(), []
        for _ in range(GREEDY_STEPS):
            forced = state.compute_ff_tokens()
            if forced:
                if not state.consume_tokens(forced):
                    break
                path += forced
                if state.is_accepting():
                    return path
                continue
            moves = self._steps(state)
            if not moves:
                break
            tid = min(moves, key=lambda move: (_closing_rank(move[1]), move[1]))[0]
            if not state.consume_token(tid):
                break
            path.append(tid)
            if state.is_accepting():
                return path
        return None

    def _best_first(self, matcher: Any, depth: int) -> list[int] | None:
        """The shortest completion in characters: best-first over `_steps`, cost so far plus
        open brackets, deeper states first on ties; None after `SEARCH_NODES` states."""
        order = itertools.count(1)
        heap: list[tuple[int, int, int, list[int], int, Any, int]] = [
            (max(depth, 0), 0, 0, [], 0, matcher, depth)]
        for _ in range(SEARCH_NODES):
            if not heap:
                return None
            _, _, _, path, cost, state, nested = heapq.heappop(heap)
            for tid, text in self._steps(state):
                child = state.deep_copy()
                if not child.consume_token(tid):
                    continue
                if child.is_accepting():
                    return path + [tid]
                depth_after = nested + int(self.depth_delta[tid])
                length = cost + len(text)
                heapq.heappush(heap, (length + max(depth_after, 0), -length, next(order),
                                      path + [tid], length, child, depth_after))
        return None


def _closing_rank(text: str) -> int:
    """How soon a move tends to end a bracketed, line-based text: closing a bracket or the
    line first, then a letter or digit (finishing a name or number), then other punctuation,
    and last a comma or an opening bracket (which only make it longer)."""
    first = text[:1]
    if first in ")]}\n":
        return 0
    if first.isalnum() or first == "_":
        return 1
    return 3 if first in ",([{" else 2


class TransformersBackend:
    """A local causal LM (see the module docstring)."""

    def __init__(self, spec: ModelSpec) -> None:
        torch = _torch(spec)
        source = _files(spec)
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers import __version__ as tf_version

        self.spec = spec
        self.name = spec.name
        self.usage = Usage()
        self._torch = torch
        if spec.device not in ("auto", "cpu", "cuda"):
            raise ModelUnavailable(f"unknown device '{spec.device}' (auto, cpu or cuda)",
                                   field=f"model {spec.name}.device")
        cuda = torch.cuda.is_available()
        if spec.device == "cuda" and not cuda:
            raise ModelUnavailable("device cuda was asked for but no CUDA GPU is visible",
                                   field=f"model {spec.name}.device")
        self.device = torch.device("cuda" if spec.device != "cpu" and cuda else "cpu")
        if self.device.type == "cpu":
            torch.set_num_threads(1)
        dtype = torch.bfloat16 if self.device.type == "cuda" else torch.float32
        folder = _weights_folder(source)
        problem = memory_problem(parameter_count(folder) if folder is not None else None,
                                 torch.finfo(dtype).bits // 8,
                                 available_memory(self.device.type))
        if problem is not None:
            raise ModelUnavailable(problem, field=f"model {spec.name}")
        major, minor = (int(p) for p in tf_version.split(".")[:2])
        dtype_kw = "dtype" if (major, minor) >= (4, 56) else "torch_dtype"
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True)
            model = AutoModelForCausalLM.from_pretrained(source, local_files_only=True,
                                                         **{dtype_kw: dtype})
        except OSError as err:
            raise ModelUnavailable(f"cannot load {spec.model}: {' '.join(str(err).split())}",
                                   field=f"model {spec.name}") from None
        if spec.adapter:
            try:
                from peft import PeftModel
            except ImportError:
                raise missing_extra(spec, "peft") from None
            model = PeftModel.from_pretrained(model, str(Path(spec.adapter).expanduser()),
                                              local_files_only=True).merge_and_unload()
        self.model = model.to(self.device).eval()
        self.tokenizer.padding_side = "left"
        eos = self.model.generation_config.eos_token_id
        eos_ids = [eos] if isinstance(eos, int) else list(eos or [])
        if self.tokenizer.eos_token_id is not None:
            eos_ids.append(self.tokenizer.eos_token_id)
        self.eos_ids = sorted(set(eos_ids))
        if not self.eos_ids:
            raise ModelUnavailable(f"{spec.model} has no end-of-sequence token",
                                   field=f"model {spec.name}")
        self.pad_id = (self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None
                       else self.eos_ids[0])
        params = inspect.signature(self.model.forward).parameters
        self._cache_kw = "cache" if "cache" in params else "past_key_values"
        self._grammar: GrammarDecoder | None = None
        self.active_adapter: str | None = None

    # ---- helpers -------------------------------------------------------------------------

    @property
    def parameters(self) -> int:
        """The loaded model's parameter count."""
        return sum(p.numel() for p in self.model.parameters())

    @property
    def n_vocab(self) -> int:
        """The width of the model's logits."""
        return int(self.model.get_output_embeddings().weight.shape[0])

    def grammar_decoder(self) -> GrammarDecoder:
        """The llguidance side, built on first use (it walks the whole vocabulary)."""
        if self._grammar is None:
            try:
                import llguidance  # noqa: F401
            except ImportError:
                raise missing_extra(self.spec, "llguidance") from None
            threads = 1 if self.device.type == "cpu" else 4
            self._grammar = GrammarDecoder(self.tokenizer, self.n_vocab, self.eos_ids, threads)
        return self._grammar

    def use_adapter(self, path: str | None) -> None:
        """Answer with the peft LoRA adapter folder `path` from now on, or with the base
        weights (None); a no-op when that adapter is already the active one."""
        if path == self.active_adapter:
            return
        if self.active_adapter is not None:
            self.model = self.model.unload().eval()
            self.active_adapter = None
        if path is not None:
            try:
                from peft import PeftModel
            except ImportError:
                raise missing_extra(self.spec, "peft") from None
            self.model = PeftModel.from_pretrained(self.model, path).eval()
            self.active_adapter = path

    def _encode(self, text: str) -> list[int]:
        ids = self.tokenizer(text).input_ids
        if not ids:
            bos = self.tokenizer.bos_token_id
            ids = [bos if bos is not None else self.eos_ids[0]]
        return list(ids)

    def _forward(self, ids: Any, mask: Any, positions: Any, cache: Any, keep: int) -> Any:
        out = self.model(input_ids=ids, attention_mask=mask, position_ids=positions,
                         use_cache=cache is not None, logits_to_keep=keep,
                         **({self._cache_kw: cache} if cache is not None else {}))
        return out.logits

    def _left_padded(self, seqs: Sequence[list[int]]) -> tuple[Any, Any, Any]:
        torch = self._torch
        width = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(seqs), width), dtype=torch.long)
        for i, seq in enumerate(seqs):
            ids[i, width - len(seq):] = torch.tensor(seq, dtype=torch.long)
            mask[i, width - len(seq):] = 1
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        return ids.to(self.device), mask.to(self.device), positions.to(self.device)

    # ---- generate ------------------------------------------------------------------------

    def generate(self, prompts: Sequence[str], params: GenerateParams) -> list[list[Sample]]:
        """`params.n` samples for each prompt, in prompt order (see the module docstring)."""
        encoded = [self._encode(p) for p in prompts]
        if params.dfs_threshold is None:
            out = self._sampled(encoded, params)
        else:
            out = self._depth_first(encoded, params)
        for i, samples in enumerate(out):
            self.usage.add(self.name, len(encoded[i]), sum(s.tokens for s in samples), 0.0)
        return out

    def _sampled(self, encoded: list[list[int]], params: GenerateParams) -> list[list[Sample]]:
        """Sampled (or greedy) decoding: prompts and their `n` rows share batches."""
        torch = self._torch
        pieces = [(i, min(MAX_BATCH_ROWS, params.n - k)) for i in range(len(encoded))
                  for k in range(0, params.n, MAX_BATCH_ROWS)]
        batches: list[list[tuple[int, int]]] = []
        for piece in pieces:
            if batches and sum(c for _, c in batches[-1]) + piece[1] <= MAX_BATCH_ROWS:
                batches[-1].append(piece)
            else:
                batches.append([piece])
        generator = torch.Generator(device=self.device).manual_seed(params.seed)
        out: list[list[Sample]] = [[] for _ in encoded]
        with torch.inference_mode():
            for batch in batches:
                rows = self._decode(encoded, batch, params, generator)
                for row in rows:
                    out[row.prompt].append(self._sample(row, params))
        return out

    def _depth_first(self, encoded: list[list[int]], params: GenerateParams
                     ) -> list[list[Sample]]:
        """Depth-first decoding of every prompt; the greedy sample where none is found."""
        if params.grammar is not None:
            raise ModelError(f"{self.name}: depth-first decoding takes no grammar")
        with self._torch.inference_mode():
            out = [[self._sample(_Row(0, list(ids), logprob), params)
                    for ids, logprob in self._dfs(head, params)] for head in encoded]
        greedy = replace(params, n=1, temperature=0.0, dfs_threshold=None)
        for i in [i for i, samples in enumerate(out) if not samples]:
            out[i] = self._sampled([encoded[i]], greedy)[0]
        return out

    def _dfs(self, head: list[int], params: GenerateParams) -> list[tuple[tuple[int, ...], float]]:
        """`dfs_sequences` over one prompt: its cache is computed once, then cropped back to
        each node's prefix before the node's last token is fed."""
        torch = self._torch
        cache = self._new_cache()
        ids, mask, positions = self._left_padded([head])
        first = torch.log_softmax(self._forward(ids, mask, positions, cache, 1)[0, -1].float(),
                                  dim=-1).cpu().numpy()

        def next_logprobs(prefix: tuple[int, ...]) -> np.ndarray:
            if not prefix:
                return first
            width = len(head) + len(prefix)
            cache.crop(width - 1 - cache.get_seq_length())  # negative: drop that many (both APIs)
            logits = self._forward(torch.tensor([[prefix[-1]]], device=self.device),
                                   torch.ones((1, width), dtype=torch.long, device=self.device),
                                   torch.tensor([[width - 1]], device=self.device), cache, 1)
            return torch.log_softmax(logits[0, -1].float(), dim=-1).cpu().numpy()

        eos = set(self.eos_ids)

        def is_end(prefix: tuple[int, ...]) -> bool:
            if prefix[-1] in eos:
                return True
            text = self.tokenizer.decode(prefix, skip_special_tokens=True) if params.stop else ""
            return any(s and s in text for s in params.stop)

        return dfs_sequences(next_logprobs, is_end, params.dfs_threshold or 1.0,
                             params.max_new_tokens, params.n)

    def _sample(self, row: _Row, params: GenerateParams) -> Sample:
        body = [t for t in row.ids if t not in self.eos_ids]
        text = self.tokenizer.decode(body, skip_special_tokens=True)
        cuts = [text.find(s) for s in params.stop if s and s in text]
        if cuts:
            text = text[:min(cuts)]
        return Sample(text, row.logprob, len(row.ids))

    def _decode(self, encoded: list[list[int]], batch: list[tuple[int, int]],
                params: GenerateParams, generator: Any) -> list[_Row]:
        """Decode the rows of one batch: each (prompt, count) piece gives `count` rows."""
        torch = self._torch
        prompts = [i for i, _ in batch]
        ids, mask, positions = self._left_padded([encoded[i] for i in prompts])
        cache = self._new_cache()
        logits = self._forward(ids, mask, positions, cache, 1)[:, -1, :]
        index = torch.tensor([j for j, (_, count) in enumerate(batch) for _ in range(count)],
                             device=self.device)
        cache.batch_select_indices(index)
        logits, mask = logits[index], mask[index]
        next_pos = positions[index, -1] + 1
        rows = [_Row(i) for i, count in batch for _ in range(count)]
        decoder = self.grammar_decoder() if params.grammar else None
        if decoder is not None:
            for row in rows:
                row.matcher = decoder.matcher(params.grammar)
        active = list(range(len(rows)))
        eos = set(self.eos_ids)
        for step in range(params.max_new_tokens):
            live = [rows[r] for r in active]
            chosen, logp = self._choose(logits, live, params, generator, decoder,
                                        params.max_new_tokens - step)
            for row, token, lp in zip(live, chosen, logp):
                self._advance(row, token, lp, eos, params, decoder)
            keep = [k for k, r in enumerate(active) if not rows[r].done]
            if not keep:
                break
            if len(keep) < len(active):
                select = torch.tensor(keep, device=self.device)
                cache.batch_select_indices(select)
                mask, next_pos = mask[select], next_pos[select]
                chosen = [chosen[k] for k in keep]
                active = [active[k] for k in keep]
            if step + 1 == params.max_new_tokens:
                break
            mask = torch.cat([mask, mask.new_ones((len(active), 1))], dim=1)
            step_ids = torch.tensor(chosen, device=self.device)[:, None]
            logits = self._forward(step_ids, mask, next_pos[:, None], cache, 1)[:, -1, :]
            next_pos = next_pos + 1
        if decoder is not None:
            decoder.stats["unfinished"] += sum(1 for r in rows if not r.matcher.is_accepting())
        return rows

    def _new_cache(self) -> Any:
        from transformers import DynamicCache

        try:
            return DynamicCache(config=self.model.config)
        except TypeError:
            return DynamicCache()

    def _choose(self, logits: Any, live: list[_Row], params: GenerateParams, generator: Any,
                decoder: GrammarDecoder | None, remaining: int) -> tuple[list[int], list[float]]:
        """The next token of every live row and its model log-probability."""
        torch = self._torch
        logits = logits.float()
        logp = torch.log_softmax(logits, dim=-1)
        scores = logits / params.temperature if params.temperature > 0 else logits.clone()
        if decoder is not None:
            for row in live:
                self._plan(row, decoder, remaining)
            free = [k for k, row in enumerate(live) if row.plan is None]
            if free:
                allowed = torch.from_numpy(decoder.masks([live[k].matcher for k in free]))
                full = torch.ones(scores.shape, dtype=torch.bool)
                full[free] = allowed
                full = full.to(self.device)
                scores = scores.masked_fill(~full, float("-inf"))
                stuck = ~full.any(dim=1)
                if bool(stuck.any()):
                    scores[stuck, self.eos_ids[0]] = 0.0
        if params.temperature > 0:
            chosen = torch.multinomial(torch.softmax(scores, dim=-1), 1,
                                       generator=generator)[:, 0]
        else:
            chosen = scores.argmax(dim=-1)
        tokens = chosen.tolist()
        for k, row in enumerate(live):
            if row.plan:
                tokens[k] = row.plan.popleft()
        picked = logp.gather(1, torch.tensor(tokens, device=logp.device)[:, None])[:, 0]
        return tokens, picked.tolist()

    def _plan(self, row: _Row, decoder: GrammarDecoder, remaining: int) -> None:
        """Near the token limit, decide whether the row must now write its completion. The
        search runs again only once the completion could have grown to need the slack
        (each token adding at most `GROWTH` completion tokens)."""
        if row.plan is not None or remaining > row.check_at:
            return
        tokens = decoder.completion(row.matcher, row.depth)
        if tokens is None:
            row.check_at = remaining - 1
            return
        slack = remaining - len(tokens) - FINISH_MARGIN
        if slack <= 0:
            row.plan = deque(tokens or [self.eos_ids[0]])   # complete already: end it here
            decoder.stats["forced_completions"] += 1
        else:
            row.check_at = remaining - max(1, slack // (GROWTH + 1))

    def _advance(self, row: _Row, token: int, logprob: float, eos: set[int],
                 params: GenerateParams, decoder: GrammarDecoder | None) -> None:
        """Append the token and decide whether the row has ended."""
        row.ids.append(token)
        row.logprob += logprob
        if token in eos:
            row.done = True
            return
        if decoder is not None:
            row.depth += int(decoder.depth_delta[token])
            if not row.matcher.consume_token(token) or row.matcher.is_stopped():
                row.done = True
                return
            if row.plan is not None and not row.plan:
                row.done = True
                return
        if len(row.ids) >= params.max_new_tokens:
            row.done = True
        elif params.stop:
            text = self.tokenizer.decode(row.ids, skip_special_tokens=True)
            row.done = any(s and s in text for s in params.stop)

    # ---- score ---------------------------------------------------------------------------

    def score(self, prompt: str, continuations: Sequence[str]) -> list[float]:
        """Summed token log-probability of each continuation after the prompt (the prompt as
        `generate` encodes it, the continuation's own tokens after it)."""
        torch = self._torch
        head = self._encode(prompt)
        tails = [list(self.tokenizer(c, add_special_tokens=False).input_ids)
                 for c in continuations]
        scores = [0.0] * len(continuations)
        todo = [k for k, tail in enumerate(tails) if tail]
        with torch.inference_mode():
            for chunk in _batches(todo, SCORE_BATCH):
                seqs = [head + tails[k] for k in chunk]
                keep = max(len(tails[k]) for k in chunk) + 1
                ids, mask, positions = self._left_padded(seqs)
                logp = torch.log_softmax(
                    self._forward(ids, mask, positions, None, keep).float(), dim=-1)
                for j, k in enumerate(chunk):
                    n = len(tails[k])
                    target = ids[j, -n:]
                    rows = logp[j, keep - n - 1:keep - 1]
                    scores[k] = float(rows.gather(1, target[:, None]).sum())
        self.usage.add(self.name, len(head) * len(continuations), 0, 0.0)
        return scores
