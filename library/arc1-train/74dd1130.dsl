solve(I: Grid) -> Grid:
    O = transpose(I)
