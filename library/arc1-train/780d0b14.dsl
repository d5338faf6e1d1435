solve(I: Grid) -> Grid:
    x1 = split_by_lines(I)
    x2 = crop(I, 0, 0, height(I), width(first(x1)))
    x3 = div(count(x1), count(split_by_lines(x2)))
    x4 = map(x1, lambda g: canvas(most_common_fg(g), 1, 1))
    O = stack_grid(x4, x3)
