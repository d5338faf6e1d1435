solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, black)
    x2 = max_of(x1, size)
    x3 = min_of(x1, size)
    x4 = filter(x1, lambda o: eq(size(o), x2))
    x5 = filter(x1, lambda o: eq(size(o), x3))
    x6 = paint_all(I, map(x4, lambda o: recolor(o, blue)))
    O = paint_all(x6, map(x5, lambda o: recolor(o, sky)))
