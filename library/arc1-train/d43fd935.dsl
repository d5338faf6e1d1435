def extend_to(g: Grid, o: Object, s: Object) -> Grid:
    r = top(o)
    c = left(o)
    h = and(ge(r, top(s)), le(r, bottom(s)))
    v = and(ge(c, left(s)), le(c, right(s)))
    hc = branch(lt(c, left(s)), sub(left(s), 1), add(right(s), 1))
    vr = branch(lt(r, top(s)), sub(top(s), 1), add(bottom(s), 1))
    a = branch(h, line(g, point(r, c), point(r, hc), obj_color(o)), g)
    b = branch(v, line(a, point(r, c), point(vr, c), obj_color(o)), a)

solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, green)
    x2 = first(x1)
    x3 = objects(I)
    x4 = exclude(x3, lambda o: eq(obj_color(o), green))
    O = fold(x4, I, lambda g, o: extend_to(g, o, x2))
