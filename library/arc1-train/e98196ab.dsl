solve(I: Grid) -> Grid:
    x1 = split_by_lines(I)
    O = overlay(first(x1), last(x1))
