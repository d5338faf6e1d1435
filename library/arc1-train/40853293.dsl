solve(I: Grid) -> Grid:
    x1 = color_groups(I)
    x2 = sort_desc_by(x1, obj_width)
    O = fold(x2, I, lambda g, o: line(g, ulcorner(o), point(bottom(o), right(o)), obj_color(o)))
