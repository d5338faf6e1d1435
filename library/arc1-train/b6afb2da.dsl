def frame_rect(g: Grid, o: Object) -> Grid:
    x1 = paint(g, recolor(o, red))
    x2 = box_inside(x1, o, yellow)
    x3 = point(top(o), left(o))
    x4 = point(top(o), right(o))
    x5 = point(bottom(o), left(o))
    x6 = point(bottom(o), right(o))
    x7 = line(line(x2, x3, x3, blue), x4, x4, blue)
    O = line(line(x7, x5, x5, blue), x6, x6, blue)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    O = fold(x1, I, frame_rect)
