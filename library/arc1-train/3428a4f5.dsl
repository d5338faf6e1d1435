solve(I: Grid) -> Grid:
    x1 = split_by_lines(I)
    x2 = first(x1)
    x3 = last(x1)
    O = cellwise_xor(x2, x3, green)
