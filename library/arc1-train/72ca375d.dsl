solve(I: Grid) -> Grid:
    x1 = objects(I, connect=8)
    x2 = filter(x1, lambda o: eq(obj_flip_h(o), o))
    O = obj_grid(first(x2))
