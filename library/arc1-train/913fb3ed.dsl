def halo_color(c: Color) -> Color:
    x1 = branch(eq(c, sky), yellow, blue)
    O = branch(eq(c, green), magenta, x1)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    O = fold(x1, I, lambda g, o: outline(g, o, halo_color(obj_color(o)), connect=8))
