solve(I: Grid) -> Grid:
    x1 = objects(I, connect=8)
    O = fold(x1, I, lambda g, o: fill_bbox(g, o, blue))
