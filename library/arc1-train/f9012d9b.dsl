solve(I: Grid) -> Grid:
    x1 = repair_tiling(I, black)
    x2 = first(objects_of_color(I, black))
    O = subgrid(x1, x2)
