solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = fold(x1, I, lambda g, o: outline(g, o, blue, connect=8))
    O = replace(x2, grey, blue)
