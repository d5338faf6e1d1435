solve(I: Grid) -> Grid:
    x1 = objects(I)
    O = fold(x1, I, lambda g, o: cover(outline(outline(g, o, blue), o, grey, connect=8), o))
