solve(I: Grid) -> Grid:
    x1 = color_groups(I)
    x2 = filter(x1, lambda o: eq(obj_color(o), red))
    x3 = first(x2)
    x4 = range(4)
    x5 = map(x4, lambda d: move_until_contact(I, x3, d))
    x6 = filter(x5, lambda g: eq(count(objects(g, multicolor=true)), 1))
    O = first(x6)
