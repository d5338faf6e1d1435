def stair_pair(g: Grid, o: Object, k: Int) -> Grid:
    c = branch(is_even(k), orange, sky)
    r2 = sub(bottom(o), k)
    a = line(g, point(top(o), sub(left(o), k)), point(r2, sub(left(o), k)), c)
    b = line(a, point(top(o), add(left(o), k)), point(r2, add(left(o), k)), c)

solve(I: Grid) -> Grid:
    x1 = first(objects(I))
    x2 = range(obj_height(x1))
    O = fold(x2, I, lambda g, k: stair_pair(g, x1, k))
