def bottom_below_center(o: Object, r: Int) -> Point:
    O = point(r, add(left(o), half(obj_width(o))))

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = sub(height(I), 1)
    O = fold(x1, I, lambda g, o: line(g, bottom_below_center(o, x2), bottom_below_center(o, x2), yellow))
