solve(I: Grid) -> Grid:
    x1 = split_by_lines(I)
    O = unique_grid(x1)
