solve(I: Grid) -> Grid:
    x1 = objects(I)
    O = fold(x1, I, lambda g, o: box_inside(paint(g, recolor(o, sky)), o, obj_color(o)))
