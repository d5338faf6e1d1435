solve(I: Grid) -> Grid:
    O = replace(I, magenta, red)
