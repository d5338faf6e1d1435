solve(I: Grid) -> Grid:
    x1 = fill_enclosed(I, red)
    O = replace(x1, black, green)
