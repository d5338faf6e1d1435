solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = max_of(x1, size)
    x3 = sort_by(filter(x1, lambda o: eq(size(o), x2)), left)
    O = stack_h(map(x3, lambda o: canvas(obj_color(o), x2, 1)))
