solve(I: Grid) -> Grid:
    x1 = objects(I, multicolor=true)
    x2 = argmax(x1, size)
    x3 = first(filter(x1, lambda o: eq(obj_color(o), grey)))
    x4 = point(sub(top(x3), half(obj_height(x2))), sub(left(x3), half(obj_width(x2))))
    O = paint(cover(I, x3), move_to(x2, x4))
