"""Where the report's Excel formulas are rendered: references to the intake's data (defined names, sheet and
column references, exact-match sums) and the figures' formulas from their definitions in the analysis stage.
The sheet writers call these; they do not write formula text themselves."""
