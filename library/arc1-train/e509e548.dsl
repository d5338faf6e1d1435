def junction_mask(g: Grid, bg: Color) -> Mask:
    m = nonbg_mask(g, bg=bg)
    a = mask_to_grid(m, blue)
    u = mask_of(shift(a, 1, 0), blue)
    d = mask_of(shift(a, -1, 0), blue)
    l = mask_of(shift(a, 0, 1), blue)
    r = mask_of(shift(a, 0, -1), blue)
    v = mask_and(mask_and(u, d), mask_or(l, r))
    h = mask_and(mask_and(l, r), mask_or(u, d))
    j = mask_and(m, mask_or(v, h))

def shape_color(g: Grid, j: Mask, o: Object) -> Color:
    z = canvas(black, height(g), width(g))
    branchy = gt(color_count(fill_mask(z, mask_and(j, object_mask(g, o)), blue), blue), 0)
    is_l = eq(size(o), sub(add(obj_height(o), obj_width(o)), 1))
    c = branch(branchy, red, branch(is_l, blue, magenta))

solve(I: Grid) -> Grid:
    x1 = objects(I)
    x2 = junction_mask(I, black)
    x3 = map(x1, lambda o: recolor(o, shape_color(I, x2, o)))
    O = paint_all(I, x3)
