def away_diagonal(o: Object, c: Object) -> Int:
    x1 = lt(left(o), left(c))
    x2 = branch(x1, 7, 4)
    x3 = branch(x1, 6, 5)
    O = branch(lt(top(o), top(c)), x2, x3)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = argmax(x1, size)
    x3 = filter(x1, lambda o: eq(size(o), 1))
    O = fold(x3, I, lambda g, o: ray(g, ulcorner(o), away_diagonal(o, x2), obj_color(o)))
