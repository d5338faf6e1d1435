solve(I: Grid) -> Grid:
    x1 = canvas(black, double(height(I)), double(width(I)))
    x2 = paint(x1, to_object(I))
    x3 = objects(x2)
    O = fold(x3, x2, lambda g, o: object_rays(g, o, 5))
