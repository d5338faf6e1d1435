"""sizing primitives (being written)."""
