solve(I: Grid) -> Grid:
    O = repair_tiling(I, black)
