solve(I: Grid) -> Grid:
    x1 = most_common_fg(I)
    x2 = top_half(I)
    x3 = left_half(x2)
    x4 = recolor_all(x3, x1)
    O = mirror_4(x4)
