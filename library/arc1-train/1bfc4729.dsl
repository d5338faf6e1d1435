def frame_half(g: Grid) -> Grid:
    x1 = most_common_fg(g)
    x2 = fill_rows_with(g, x1)
    x3 = hline(x2, 0, x1)
    x4 = vline(x3, 0, x1)
    x5 = width(g)
    x6 = sub(x5, 1)
    x7 = vline(x4, x6, x1)

solve(I: Grid) -> Grid:
    x1 = top_half(I)
    x2 = frame_half(x1)
    x3 = bottom_half(I)
    x4 = flip_v(x3)
    x5 = frame_half(x4)
    x6 = flip_v(x5)
    O = vconcat(x2, x6)
