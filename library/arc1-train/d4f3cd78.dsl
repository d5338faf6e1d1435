solve(I: Grid) -> Grid:
    x1 = first(objects_of_color(I, grey))
    x2 = fill_bbox(I, x1, sky)
    x3 = first(objects_of_color(x2, sky))
    x4 = range(4)
    O = fold(x4, x2, lambda g, d: object_rays(g, x3, d))
