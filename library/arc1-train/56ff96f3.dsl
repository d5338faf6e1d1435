solve(I: Grid) -> Grid:
    x1 = color_groups(I)
    O = fold(x1, I, lambda g, o: fill_bbox(g, o, obj_color(o)))
