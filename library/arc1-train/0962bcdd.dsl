def grow_cross(g: Grid, o: Object) -> Grid:
    x1 = add(top(o), 1)
    x2 = add(left(o), 1)
    x3 = cell(g, x1, x2)
    x4 = cell(g, top(o), x2)
    x5 = sub(x1, 2)
    x6 = add(x1, 2)
    x7 = sub(x2, 2)
    x8 = add(x2, 2)
    x9 = line(g, point(x5, x2), point(x6, x2), x4)
    x10 = line(x9, point(x1, x7), point(x1, x8), x4)
    x11 = line(x10, point(x5, x7), point(x6, x8), x3)
    x12 = line(x11, point(x5, x8), point(x6, x7), x3)

solve(I: Grid) -> Grid:
    x1 = objects(I, multicolor=true)
    O = fold(x1, I, grow_cross)
