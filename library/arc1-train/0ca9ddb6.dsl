def diagonal_neighbours(g: Grid) -> Grid:
    x1 = shift(g, 1, 1)
    x2 = shift(g, 1, -1)
    x3 = shift(g, -1, 1)
    x4 = shift(g, -1, -1)
    x5 = overlay(x1, x2)
    x6 = overlay(x3, x4)
    x7 = overlay(x5, x6)

def orthogonal_neighbours(g: Grid) -> Grid:
    x1 = shift(g, 1, 0)
    x2 = shift(g, -1, 0)
    x3 = shift(g, 0, 1)
    x4 = shift(g, 0, -1)
    x5 = overlay(x1, x2)
    x6 = overlay(x3, x4)
    x7 = overlay(x5, x6)

solve(I: Grid) -> Grid:
    x1 = keep_color(I, red)
    x2 = diagonal_neighbours(x1)
    x3 = recolor_all(x2, yellow)
    x4 = keep_color(I, blue)
    x5 = orthogonal_neighbours(x4)
    x6 = recolor_all(x5, orange)
    x7 = overlay(x3, x6)
    O = overlay(x7, I)
