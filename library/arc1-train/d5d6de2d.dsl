solve(I: Grid) -> Grid:
    x1 = fill_enclosed(I, green)
    O = replace(x1, red, black)
