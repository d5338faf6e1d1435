def gap_lo(a1: Int, b1: Int, a2: Int, b2: Int) -> Int:
    hi_start = max2(a1, a2)
    lo_end = min2(b1, b2)
    r = add(min2(hi_start, lo_end), 1)

def gap_hi(a1: Int, b1: Int, a2: Int, b2: Int) -> Int:
    hi_start = max2(a1, a2)
    lo_end = min2(b1, b2)
    r = sub(max2(hi_start, lo_end), 1)

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = first(x1)
    x3 = last(x1)
    x4 = gap_lo(top(x2), bottom(x2), top(x3), bottom(x3))
    x5 = gap_hi(top(x2), bottom(x2), top(x3), bottom(x3))
    x6 = gap_lo(left(x2), right(x2), left(x3), right(x3))
    x7 = gap_hi(left(x2), right(x2), left(x3), right(x3))
    x8 = canvas(sky, add(sub(x5, x4), 1), add(sub(x7, x6), 1))
    x9 = move_to(to_object(x8), point(x4, x6))
    O = paint(I, x9)
