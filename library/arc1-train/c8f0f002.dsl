solve(I: Grid) -> Grid:
    O = replace(I, orange, grey)
