solve(I: Grid) -> Grid:
    x1 = keep_color(I, blue)
    x2 = cellwise_and(shift(x1, 0, 1), shift(x1, 0, -1), red)
    O = overlay(x2, I)
