solve(I: Grid) -> Grid:
    x1 = split_by_lines(I)
    x2 = map(x1, lambda g: canvas(branch(eq(color_count(g, magenta), 2), blue, black), 1, 1))
    O = stack_grid(x2, 3)
