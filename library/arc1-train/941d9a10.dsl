solve(I: Grid) -> Grid:
    x1 = width(I)
    x2 = objects_of_color(I, black)
    x3 = sort_by(x2, lambda o: add(mul(top(o), x1), left(o)))
    x4 = paint(I, recolor(first(x3), blue))
    x5 = paint(x4, recolor(nth(x3, half(count(x3))), red))
    O = paint(x5, recolor(last(x3), green))
