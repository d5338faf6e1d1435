solve(I: Grid) -> Grid:
    x1 = first(objects_of_color(I, sky))
    x2 = exclude(objects(I), lambda o: eq(obj_color(o), sky))
    x3 = map(x2, lambda o: move_to(o, point(add(top(x1), branch(gt(top(o), top(x1)), 1, 0)), add(left(x1), branch(gt(left(o), left(x1)), 1, 0)))))
    O = paint_all(canvas(black, height(I), width(I)), x3)
