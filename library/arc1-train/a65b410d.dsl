solve(I: Grid) -> Grid:
    x1 = first(objects(I))
    x2 = point(top(x1), right(x1))
    x3 = ray(I, x2, 4, green)
    x4 = ray(x3, x2, 6, blue)
    x5 = objects(x4, connect=8)
    O = fold(x5, x4, lambda g, o: object_rays(g, o, 3))
