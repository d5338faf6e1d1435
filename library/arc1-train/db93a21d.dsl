def shadow(g: Grid, o: Object) -> Grid:
    r = to_object(canvas(blue, sub(height(g), top(o)), obj_width(o)))
    s = paint(g, move_to(r, ulcorner(o)))

def frame(g: Grid, o: Object) -> Grid:
    k = half(obj_width(o))
    r = to_object(canvas(green, add(obj_height(o), double(k)), add(obj_width(o), double(k))))
    s = paint(g, move_to(r, point(sub(top(o), k), sub(left(o), k))))

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = fold(x1, I, shadow)
    x3 = fold(x1, x2, frame)
    O = paint_all(x3, x1)
