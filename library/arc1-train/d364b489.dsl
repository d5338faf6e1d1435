def decorate(g: Grid, o: Object) -> Grid:
    a = paint(g, recolor(move(o, -1, 0), red))
    b = paint(a, recolor(move(o, 0, -1), orange))
    c = paint(b, recolor(move(o, 0, 1), magenta))
    d = paint(c, recolor(move(o, 1, 0), sky))

solve(I: Grid) -> Grid:
    x1 = objects(I)
    O = fold(x1, I, decorate)
