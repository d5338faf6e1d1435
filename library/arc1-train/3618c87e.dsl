solve(I: Grid) -> Grid:
    x1 = keep_color(I, blue)
    x2 = to_object(x1)
    x3 = height(I)
    x4 = sub(x3, 1)
    x5 = sub(x4, bottom(x2))
    x6 = shift(x1, x5, 0)
    x7 = remove_color(I, blue)
    O = overlay(x7, x6)
