solve(I: Grid) -> Grid:
    x1 = objects(I, bg=sky)
    x2 = fold(x1, I, lambda g, o: box(g, o, green))
    O = fill_enclosed(x2, yellow, bg=sky)
