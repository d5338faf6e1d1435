solve(I: Grid) -> Grid:
    O = fill_enclosed(I, blue)
