def attach_dot(g: Grid, line_obj: Object, dot: Object) -> Grid:
    x1 = left(line_obj)
    x2 = lt(left(dot), x1)
    x3 = branch(x2, sub(x1, 1), add(x1, 1))
    x4 = move_to(dot, point(top(dot), x3))
    x5 = paint(g, x4)

def attach_to_columns(g: Grid) -> Grid:
    x1 = objects(g)
    x2 = height(g)
    x3 = filter(x1, lambda o: eq(obj_height(o), x2))
    x4 = exclude(x1, lambda o: eq(obj_height(o), x2))
    x5 = fold(x4, g, lambda a, d: cover(a, d))
    x6 = fold(x4, x5, lambda a, d: fold(filter(x3, lambda l: eq(obj_color(l), obj_color(d))), a, lambda b, l: attach_dot(b, l, d)))

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = height(I)
    x3 = any(x1, lambda o: eq(obj_height(o), x2))
    x4 = branch(x3, 0, 1)
    x5 = iterate(transpose, I, x4)
    x6 = attach_to_columns(x5)
    O = iterate(transpose, x6, x4)
