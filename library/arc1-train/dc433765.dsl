solve(I: Grid) -> Grid:
    x1 = first(objects_of_color(I, green))
    x2 = first(objects_of_color(I, yellow))
    x3 = sign(sub(top(x2), top(x1)))
    x4 = sign(sub(left(x2), left(x1)))
    O = paint(cover(I, x1), move(x1, x3, x4))
