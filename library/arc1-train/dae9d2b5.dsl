solve(I: Grid) -> Grid:
    x1 = hsplit(I, 2)
    O = cellwise_or(first(x1), last(x1), magenta)
