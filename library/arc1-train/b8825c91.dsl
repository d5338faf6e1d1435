solve(I: Grid) -> Grid:
    O = complete_symmetry(I, yellow)
