solve(I: Grid) -> Grid:
    x1 = to_object(I)
    x2 = most_common_fg(I)
    O = canvas(x2, 1, size(x1))
