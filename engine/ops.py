"""The ops of a compiled ledger program (engine.register compiles and runs them, engine.piecewise runs
them per branch). Each op is a tuple whose first item is its code; its fields, in order:

* ``(RESIZE, rn, rd, upward)``: §4(b) split or combination of ratio rn/rd (upward: a combination);
* ``(DIVIDEND, fn, fd)``: §4(c), the price × fn/fd (engine.rules.dividend_factor);
* ``(ISSUE, qn, qd, broad, narrow, floor, row)``: §4(d)/(e) Additional Shares at qn/qd a share;
  ``broad``/``narrow``: engine.rules.weighted's constants with A the fully diluted / the Common
  outstanding count, or the refusal's text where that count is unknown; ``floor``: the Price Floor
  in today's shares as a pair, or None;
* ``(NONE,)``: an event that moves no warrant's price;
* ``(RECOMPUTE, sub)``, after sharing ``(RECOMPUTE, snapshot, rest)``: §4(e)(ii) an alternative history;
* ``(MARK, snapshot)``: record the state here for a later RECOMPUTE;
* ``(MERGER, rn, rd)``: §4(b) merger;  ``(EXERCISE, shares, row)``: §1(c);
* ``(OTHER, pn, pd)``: §4(g)(ii) the Board's price;  ``(FAIL, text)``: the fold refuses here.

An op holds numbers and texts only (never an exception object), so programs compare by value.
"""
RESIZE, DIVIDEND, ISSUE, NONE, RECOMPUTE, MERGER, EXERCISE, OTHER, FAIL, MARK = range(10)
