solve(I: Grid) -> Grid:
    O = trim(I)
