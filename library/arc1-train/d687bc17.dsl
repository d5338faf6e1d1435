def wall_target(I: Grid, o: Object) -> Point:
    h = height(I)
    w = width(I)
    c = obj_color(o)
    p_left = branch(eq(c, cell(I, 1, 0)), point(top(o), 1), point(top(o), left(o)))
    p_right = branch(eq(c, cell(I, 1, sub(w, 1))), point(top(o), sub(w, 2)), p_left)
    p_top = branch(eq(c, cell(I, 0, 1)), point(1, left(o)), p_right)
    p_bottom = branch(eq(c, cell(I, sub(h, 1), 1)), point(sub(h, 2), left(o)), p_top)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = exclude(x1, lambda o: touches_border(I, o))
    x3 = fold(x2, I, lambda g, o: cover(g, o))
    x4 = map(filter(x1, lambda o: touches_border(I, o)), obj_color)
    x5 = filter(x2, lambda o: any(x4, lambda c: eq(c, obj_color(o))))
    x6 = map(x5, lambda o: move_to(o, wall_target(I, o)))
    O = paint_all(x3, x6)
