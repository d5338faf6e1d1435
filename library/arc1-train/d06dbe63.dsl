def stair_step(g: Grid, o: Object, k: Int) -> Grid:
    r = top(o)
    c = left(o)
    a = line(g, point(sub(r, add(double(k), 1)), add(c, double(k))), point(sub(r, add(double(k), 2)), add(c, double(k))), grey)
    b = line(a, point(sub(r, add(double(k), 2)), add(c, double(k))), point(sub(r, add(double(k), 2)), add(c, add(double(k), 2))), grey)
    d = line(b, point(add(r, add(double(k), 1)), sub(c, double(k))), point(add(r, add(double(k), 2)), sub(c, double(k))), grey)
    e = line(d, point(add(r, add(double(k), 2)), sub(c, double(k))), point(add(r, add(double(k), 2)), sub(c, add(double(k), 2))), grey)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = first(x1)
    x3 = range(add(height(I), width(I)))
    O = fold(x3, I, lambda g, k: stair_step(g, x2, k))
