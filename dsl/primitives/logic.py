"""logic primitives (being written)."""
