def missing_corner(g: Grid, o: Object) -> Point:
    x1 = eq(cell(g, top(o), left(o)), black)
    x2 = eq(cell(g, top(o), right(o)), black)
    x3 = eq(cell(g, bottom(o), left(o)), black)
    x4 = branch(x3, point(bottom(o), left(o)), point(bottom(o), right(o)))
    x5 = branch(x2, point(top(o), right(o)), x4)
    O = branch(x1, ulcorner(o), x5)

def missing_corner_dir(g: Grid, o: Object) -> Int:
    x1 = eq(cell(g, top(o), left(o)), black)
    x2 = eq(cell(g, top(o), right(o)), black)
    x3 = eq(cell(g, bottom(o), left(o)), black)
    x4 = branch(x3, 6, 5)
    x5 = branch(x2, 4, x4)
    O = branch(x1, 7, x5)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    O = fold(x1, I, lambda g, o: ray(g, missing_corner(I, o), missing_corner_dir(I, o), obj_color(o)))
