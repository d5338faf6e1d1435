solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = argmax(x1, lambda o: mul(obj_height(o), obj_width(o)))
    x3 = obj_color(first(exclude(x1, lambda o: eq(obj_color(o), obj_color(x2)))))
    x4 = ray_until(I, point(top(x2), left(x2)), 7, x3)
    x5 = ray_until(x4, point(top(x2), right(x2)), 4, x3)
    x6 = ray_until(x5, point(bottom(x2), right(x2)), 5, x3)
    O = ray_until(x6, point(bottom(x2), left(x2)), 6, x3)
