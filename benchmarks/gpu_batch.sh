#!/usr/bin/env bash
# The GPU batch path: all 400 arc1:eval tasks on one H100/H200 with a models file, offline.
#
#   benchmarks/gpu_batch.sh MODELS.toml [OUT_DIR]
#
# Runs, from the repository root,
#
#   synth eval arc1:eval --backend ray --models MODELS.toml --workers N --out OUT_DIR
#
# on a local Ray cluster started with N CPUs (default: all cores but two, which stay for the
# driver and the model server). The local members of the models file (transformers, vllm)
# are loaded once, by synth's model server running as a Ray actor that holds the GPU; every
# task reaches it over HTTP (SYNTH_MODEL_SERVER) and never loads weights itself. Nothing is
# downloaded: `model = "/path/to/weights"` in the models file names a local folder (with its
# config.json), and the Hugging Face libraries are kept offline. `synth models list` first
# says which members can load here. Resumable: rerun the same command on the same OUT_DIR.
# Needs `pip install -e '.[ray,neural]'` (and `.[gpu]` for vllm members).
#
# Environment: WORKERS (default nproc - 2), TIME_LIMIT (seconds per task, default 30),
# MEMORY_LIMIT (MiB per task, default 4096), PYTHON (default .venv/bin/python or python3).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ $# -lt 1 || ! -f "$1" ]]; then
    echo "usage: benchmarks/gpu_batch.sh MODELS.toml [OUT_DIR]" >&2
    exit 2
fi
MODELS="$1"
OUT="${2:-runs/arc1-eval-gpu}"
CORES="$(nproc)"
WORKERS="${WORKERS:-$(( CORES > 3 ? CORES - 2 : 1 ))}"
TIME_LIMIT="${TIME_LIMIT:-30}"
MEMORY_LIMIT="${MEMORY_LIMIT:-4096}"
PYTHON="${PYTHON:-$( [[ -x .venv/bin/python ]] && echo .venv/bin/python || echo python3 )}"

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
export OMP_NUM_THREADS=1 NUMBA_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

"$PYTHON" -m synth models list --models "$MODELS"
exec "$PYTHON" -m synth eval arc1:eval --backend ray --models "$MODELS" \
    --workers "$WORKERS" --time-limit "$TIME_LIMIT" --memory-limit "$MEMORY_LIMIT" \
    --out "$OUT"
