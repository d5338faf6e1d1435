def color_region(g: Grid, o: Object) -> Object:
    x1 = eq(top(o), 0)
    x2 = eq(bottom(o), sub(height(g), 1))
    x3 = eq(left(o), 0)
    x4 = eq(right(o), sub(width(g), 1))
    x5 = or(x3, x4)
    x6 = branch(x4, green, magenta)
    x7 = branch(x3, yellow, x6)
    x8 = branch(x5, black, blue)
    x9 = branch(x2, x8, x7)
    x10 = branch(x5, black, red)
    x11 = branch(x1, x10, x9)
    x12 = recolor(o, x11)

solve(I: Grid) -> Grid:
    x1 = objects_of_color(I, black)
    x2 = map(x1, lambda o: color_region(I, o))
    O = paint_all(I, x2)
