def plus_in_box(g: Grid, o: Object, c: Color) -> Grid:
    x1 = cover(g, o)
    x2 = add(left(o), half(obj_width(o)))
    x3 = add(top(o), half(obj_height(o)))
    x4 = line(x1, point(top(o), x2), point(bottom(o), x2), c)
    O = line(x4, point(x3, left(o)), point(x3, right(o)), c)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = filter(x1, lambda o: has_hole(I, o))
    O = fold(x2, I, lambda g, o: plus_in_box(g, o, red))
