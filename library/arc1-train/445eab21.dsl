solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = argmax(x1, lambda o: mul(obj_height(o), obj_width(o)))
    O = canvas(obj_color(x2), 2, 2)
