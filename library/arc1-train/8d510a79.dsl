solve(I: Grid) -> Grid:
    x1 = top(first(objects_of_color(I, grey)))
    x2 = exclude(objects(I), lambda o: eq(obj_color(o), grey))
    O = fold(x2, I, lambda g, o: object_rays(g, o, branch(eq(eq(obj_color(o), red), lt(top(o), x1)), 2, 0)))
