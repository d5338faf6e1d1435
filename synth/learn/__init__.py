"""Learning from synthetic data: task generation from the DSL (`generate`, `grids`)."""
