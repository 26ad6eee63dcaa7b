"""The op codes of a compiled ledger program (engine.register compiles and runs it, engine.piecewise runs it per branch)."""
RESIZE, DIVIDEND, RATCHET, WEIGHTED, NONE, RECOMPUTE, MERGER, EXERCISE, OTHER, FAIL, MARK = range(11)
