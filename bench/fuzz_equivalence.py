"""The equivalence properties run randomized, round after round, until stopped (Ctrl-C).

The reference fold (``engine.ledger.reference_adjust``), the trail (``engine.adjust``) and the
register (``engine.register``, price by price and per branch) must give the same price, shares
and trail numbers for every warrant, and the same refusal text where the ledger cannot be
applied. CI runs the same properties derandomized (tests/test_trail.py, tests/test_register.py);
this script draws new examples each round and prints each round's seed first, so a failure is
replayed with ``--seed N --rounds 1``.

    python bench/fuzz_equivalence.py [--seed N] [--rounds N] [--examples 300]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from engine import WarrantError, adjust, clear_caches, register  # noqa: E402
from engine.ledger import reference_adjust  # noqa: E402
from tests.strategies import event_rows, events, terms  # noqa: E402

AS_OF = date(2006, 1, 1)
register_module = sys.modules["engine.register"]      # the package's name `register` is the function


def _answer(fn):
    try:
        return fn()
    except WarrantError as e:
        return ("refused", str(e))


def check(ts, rows) -> None:
    """Fold = trail = register (price by price and per branch) for the warrants ``ts`` over ``rows``."""
    ledger = events(rows)
    clear_caches()
    expected = []
    for t in ts:
        ref = _answer(lambda: reference_adjust(t, ledger, AS_OF))
        fast = _answer(lambda: adjust(t, ledger, AS_OF))
        if isinstance(ref, tuple):
            assert fast == ref, (t, rows, ref, fast)
            expected.append(ref)
            continue
        assert not isinstance(fast, tuple), (t, rows, ref, fast)
        assert (fast.price, fast.shares, fast.trail) == (ref.price, ref.shares, ref.trail), (t, rows)
        expected.append((ref.price, ref.shares))
    refusals = [e for e in expected if isinstance(e, tuple) and e[0] == "refused"]
    want = refusals[0] if refusals else expected
    for after in (10 ** 9, 1):                         # price by price, then every group per branch
        clear_caches()
        with mock.patch.object(register_module, "PIECEWISE_AFTER", after):
            got = _answer(lambda: register(ts, ledger, AS_OF))
        assert got == want, (ts, rows, want, got)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=None, help="the first round's seed (default: random)")
    ap.add_argument("--rounds", type=int, default=0, help="stop after this many rounds (0: never)")
    ap.add_argument("--examples", type=int, default=300, help="examples per round")
    ns = ap.parse_args()
    first = ns.seed if ns.seed is not None else random.SystemRandom().randrange(2 ** 32)
    kinds = st.sampled_from([None, ["ISSUE", "OPTIONS", "CONVERTIBLE", "AMEND", "AMEND", "EXPIRE", "SPLIT",
                                    "EXERCISE", "STOCK_DIVIDEND"]])
    ledgers = kinds.flatmap(lambda k: event_rows(kinds=k))
    prices = st.integers(1, 6000)          # in 1/100,000 of a dollar: the grid of the ledgers' prices
    n = 0
    while not ns.rounds or n < ns.rounds:
        s = first + n
        print(f"round {n + 1}: seed {s}", flush=True)
        t0 = time.perf_counter()

        @seed(s)
        @settings(max_examples=ns.examples, deadline=None, database=None, derandomize=False,
                  suppress_health_check=list(HealthCheck))
        @given(st.lists(terms, min_size=1, max_size=5), ledgers, st.lists(prices, max_size=20))
        def round_(ts, rows, more):
            from dataclasses import replace
            from fractions import Fraction
            # more warrants of the first one's terms at other prices: groups large enough to run per branch
            check(ts + [replace(ts[0], exercise_price=Fraction(c, 100_000)) for c in more], rows)

        round_()
        print(f"  {ns.examples} examples passed in {time.perf_counter() - t0:.1f} s", flush=True)
        n += 1


if __name__ == "__main__":
    main()
