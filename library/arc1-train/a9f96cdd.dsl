solve(I: Grid) -> Grid:
    x1 = shift(replace(I, red, green), -1, -1)
    x2 = shift(replace(I, red, magenta), -1, 1)
    x3 = shift(replace(I, red, sky), 1, -1)
    x4 = shift(replace(I, red, orange), 1, 1)
    O = overlay(overlay(x1, x2), overlay(x3, x4))
