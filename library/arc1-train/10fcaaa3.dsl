def diagonal_neighbours(g: Grid) -> Grid:
    x1 = shift(g, 1, 1)
    x2 = shift(g, 1, -1)
    x3 = shift(g, -1, 1)
    x4 = shift(g, -1, -1)
    x5 = overlay(x1, x2)
    x6 = overlay(x3, x4)
    x7 = overlay(x5, x6)

solve(I: Grid) -> Grid:
    x1 = tile(I, 2, 2)
    x2 = diagonal_neighbours(x1)
    x3 = recolor_all(x2, sky)
    O = overlay(x3, x1)
