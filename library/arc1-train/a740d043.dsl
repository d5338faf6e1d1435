solve(I: Grid) -> Grid:
    x1 = trim(I, bg=blue)
    O = replace(x1, blue, black)
