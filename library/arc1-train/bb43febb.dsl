solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = recolor_all(I, red)
    O = fold(x1, x2, lambda g, o: box_inside(g, o, grey))
