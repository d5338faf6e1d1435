def line_to_box(g: Grid, box: Object, dot: Object) -> Grid:
    x1 = top(dot)
    x2 = left(dot)
    x3 = max2(x1, top(box))
    x4 = min2(x3, bottom(box))
    x5 = max2(x2, left(box))
    x6 = min2(x5, right(box))
    x7 = line(g, point(x1, x2), point(x4, x6), obj_color(dot))

def aligned(box: Object, dot: Object) -> Bool:
    x1 = top(dot)
    x2 = left(dot)
    x3 = and(ge(x1, top(box)), le(x1, bottom(box)))
    x4 = and(ge(x2, left(box)), le(x2, right(box)))
    x5 = or(x3, x4)

solve(I: Grid) -> Grid:
    x1 = bg_color(I)
    x2 = objects(I, bg=x1)
    x3 = argmax(x2, size)
    x4 = exclude(x2, lambda o: eq(o, x3))
    x5 = filter(x4, lambda o: aligned(x3, o))
    x6 = fold(x5, I, lambda g, o: line_to_box(g, x3, o))
    O = paint(x6, x3)
