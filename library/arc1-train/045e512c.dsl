def side(lo: Int, hi: Int, ref_lo: Int, ref_hi: Int) -> Int:
    x1 = gt(lo, ref_hi)
    x2 = branch(x1, 1, 0)
    x3 = lt(hi, ref_lo)
    x4 = branch(x3, -1, x2)

def repeat_toward(g: Grid, t: Object, m: Object) -> Grid:
    x1 = side(top(m), bottom(m), top(t), bottom(t))
    x2 = side(left(m), right(m), left(t), right(t))
    x3 = add(obj_height(t), 1)
    x4 = add(obj_width(t), 1)
    x5 = recolor(t, obj_color(m))
    x6 = range(8)
    x7 = fold(x6, g, lambda a, k: paint(a, move(x5, mul(mul(add(k, 1), x3), x1), mul(mul(add(k, 1), x4), x2))))

solve(I: Grid) -> Grid:
    x1 = objects(I, connect=8)
    x2 = argmax(x1, size)
    x3 = exclude(x1, lambda o: eq(o, x2))
    O = fold(x3, I, lambda g, m: repeat_toward(g, x2, m))
