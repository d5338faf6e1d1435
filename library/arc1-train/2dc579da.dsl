solve(I: Grid) -> Grid:
    x1 = split_by_lines(I)
    O = argmax(x1, n_colors)
