def pull_to(g: Grid, o: Object, c: Object) -> Grid:
    x1 = branch(lt(left(o), left(c)), 1, 3)
    x2 = branch(gt(top(o), top(c)), 0, x1)
    x3 = branch(lt(top(o), top(c)), 2, x2)
    O = move_until_contact(g, o, x3)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = filter(x1, lambda o: or(eq(obj_color(o), red), eq(obj_color(o), blue)))
    x3 = exclude(x1, lambda o: or(eq(obj_color(o), red), eq(obj_color(o), blue)))
    O = fold(x3, I, lambda g, o: pull_to(g, o, first(filter(x2, lambda c: or(eq(top(c), top(o)), eq(left(c), left(o)))))))
