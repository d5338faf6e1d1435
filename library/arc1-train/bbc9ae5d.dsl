solve(I: Grid) -> Grid:
    x1 = width(I)
    x2 = vconcat(I, canvas(black, sub(half(x1), 1), x1))
    x3 = first(objects(x2))
    x4 = ray(x2, point(0, right(x3)), 5, obj_color(x3))
    x5 = objects(x4, connect=8)
    O = fold(x5, x4, lambda g, o: object_rays(g, o, 3))
