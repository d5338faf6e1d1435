def reflect_about_h(o: Object, c: Object) -> Object:
    x1 = obj_flip_h(o)
    x2 = sub(add(left(c), right(c)), right(o))
    O = move_to(x1, point(top(o), x2))

def reflect_about_v(o: Object, c: Object) -> Object:
    x1 = obj_flip_v(o)
    x2 = sub(add(top(c), bottom(c)), bottom(o))
    O = move_to(x1, point(x2, left(o)))

solve(I: Grid) -> Grid:
    x1 = color_groups(I)
    x2 = filter(x1, lambda o: and(eq(obj_flip_h(o), o), eq(obj_flip_v(o), o)))
    x3 = first(x2)
    x4 = exclude(x1, lambda o: eq(o, x3))
    x5 = first(x4)
    x6 = reflect_about_h(x5, x3)
    x7 = reflect_about_v(x5, x3)
    x8 = reflect_about_v(x6, x3)
    x9 = paint(I, x6)
    x10 = paint(x9, x7)
    O = paint(x10, x8)
