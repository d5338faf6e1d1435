solve(I: Grid) -> Grid:
    x1 = shift(I, 1, 0)
    O = replace(x1, sky, red)
