def snake_place(o: Object, objs: Objects) -> Object:
    k = count_by(objs, lambda p: lt(left(p), left(o)))
    r = div(k, 3)
    c = mod(k, 3)
    c2 = branch(is_even(r), c, sub(2, c))
    moved = move_to(o, point(r, c2))

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = map(x1, lambda o: snake_place(o, x1))
    O = paint_all(canvas(black, 3, 3), x2)
