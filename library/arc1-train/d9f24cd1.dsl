def detour(g: Grid, s: Object) -> Grid:
    r = add(bottom(s), 1)
    c = left(s)
    p = point(r, add(c, 1))
    a = branch(eq(cell(g, r, c), red), ray(paint(g, recolor(move(s, 1, 1), red)), p, 0, red), g)

solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, red)
    x2 = fold(x1, I, lambda g, o: ray_until(g, ulcorner(o), 0, red))
    x3 = objects_of_color(I, grey)
    O = fold(x3, x2, detour)
