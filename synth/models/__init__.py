"""The model layer: backends (transformers, vLLM, HTTP APIs, synth's model server) behind one
protocol, the models file, prompts, grids as text and constrained decoding. torch,
transformers, vllm and the API clients are imported only inside the backend that needs them."""
