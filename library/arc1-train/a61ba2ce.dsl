def place_corner(g: Grid, o: Object) -> Grid:
    x1 = obj_grid(o)
    x2 = double(color_count(crop(x1, 0, 0, 1, 2), black))
    x3 = double(color_count(crop(x1, 0, 0, 2, 1), black))
    O = paint(g, move_to(o, point(x2, x3)))

solve(I: Grid) -> Grid:
    x1 = objects(I)
    O = fold(x1, canvas(black, 4, 4), place_corner)
