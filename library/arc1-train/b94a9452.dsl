solve(I: Grid) -> Grid:
    x1 = trim(I)
    x2 = most_common_color(x1)
    x3 = least_common_color(x1)
    O = swap_colors(x1, x2, x3)
