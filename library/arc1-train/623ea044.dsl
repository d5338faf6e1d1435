solve(I: Grid) -> Grid:
    x1 = to_object(I)
    x2 = ulcorner(x1)
    x3 = obj_color(x1)
    x4 = ray(I, x2, 4, x3)
    x5 = ray(x4, x2, 5, x3)
    x6 = ray(x5, x2, 6, x3)
    O = ray(x6, x2, 7, x3)
