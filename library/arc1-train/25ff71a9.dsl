solve(I: Grid) -> Grid:
    O = shift(I, 1, 0)
