def mark_corners(g: Grid, o: Object) -> Grid:
    x1 = point(sub(top(o), 1), sub(left(o), 1))
    x2 = point(sub(top(o), 1), add(right(o), 1))
    x3 = point(add(bottom(o), 1), sub(left(o), 1))
    x4 = point(add(bottom(o), 1), add(right(o), 1))
    x5 = line(g, x1, x1, blue)
    x6 = line(x5, x2, x2, red)
    x7 = line(x6, x3, x3, green)
    O = line(x7, x4, x4, yellow)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    O = fold(x1, I, mark_corners)
