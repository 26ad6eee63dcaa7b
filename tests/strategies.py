"""Hypothesis strategies: random but valid ledgers and terms for the §4 properties."""
from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction as F

from hypothesis import strategies as st

from engine import d1_terms, parse_events

START = date(2001, 3, 1)
# Terms draw an Issue Date from these, so that some events fall before it (§4(e): "after the date hereof"),
# and a register's warrants see different tails of one ledger (engine.register groups them by it).
ISSUE_DATES = (date(2001, 2, 7), date(2001, 6, 1), date(2002, 3, 1), date(2003, 9, 1))

ratios = st.tuples(st.integers(1, 12), st.integers(1, 12)).filter(lambda nm: nm[0] != nm[1])
amounts = st.integers(0, 2_000_000)
# A price per share near the warrants' prices ($0.00001-$0.05), so that issues and grants move them.
per_share = st.integers(0, 6000).map(lambda k: F(k, 100_000))
counts = st.integers(1, 3_000_000)


@st.composite
def event_rows(draw, kinds=None, refs=("O1", "O2", "C1", "R1", "R2")):
    kinds = kinds or ["SPLIT", "COMBINATION", "STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "ISSUE", "OPTIONS", "CONVERTIBLE",
                      "AMEND", "EXPIRE", "TREASURY", "MERGER", "EXERCISE", "OTHER"]
    n = draw(st.integers(0, 14))
    rows, granted, rights, granted_on = [], [], [], {}

    def after_grant(ref):
        """Mostly a day on or after the grant's (so the row refers to it), sometimes any day."""
        if draw(st.integers(0, 3)) == 0:
            return row["date"]
        return granted_on[ref] + timedelta(days=draw(st.integers(0, 400)))

    for _ in range(n):
        kind = draw(st.sampled_from(kinds))
        # Often the day of an earlier row, so same-day rows come in every order.
        same_day = rows and draw(st.integers(0, 2)) == 0
        day = draw(st.sampled_from([r["date"] for r in rows])) if same_day else START + timedelta(days=draw(st.integers(0, 1500)))
        row = {"date": day, "event": kind}
        if kind in ("SPLIT", "COMBINATION", "MERGER"):
            a, b = draw(ratios)
            if kind == "SPLIT":
                a, b = max(a, b), min(a, b)
            elif kind == "COMBINATION":
                a, b = min(a, b), max(a, b)
            row["ratio"] = f"{a}-for-{b}"
            if kind == "MERGER":
                row["note"] = "Successor Inc. common"
                row["outstanding"] = draw(st.none() | counts)
        elif kind in ("STOCK_DIVIDEND", "RIGHTS_DIVIDEND", "TREASURY"):
            row["shares"] = draw(st.integers(1, 500_000))
            row["outstanding"] = draw(st.sampled_from([None, None, 9_000_000]))
            free = [r for r in refs if r not in granted]
            if kind == "RIGHTS_DIVIDEND" and free and draw(st.booleans()):
                row["ref"] = draw(st.sampled_from(free))
                granted.append(row["ref"])
                rights.append(row["ref"])
                granted_on[row["ref"]] = day
        elif kind == "ISSUE":
            row["shares"] = draw(counts)
            row["consideration"] = draw(amounts) if draw(st.booleans()) else row["shares"] * draw(per_share)
            row["category"] = draw(st.sampled_from(["", "", "MANAGEMENT", "SERIES_D", "EXCLUDED"]))
            if granted and draw(st.integers(0, 2)) == 0:
                # The exercise of a grant (§4(e)(i)) or of rights (§4(c)), sometimes beyond what is left.
                row["ref"] = draw(st.sampled_from(granted))
                row["date"] = after_grant(row["ref"])
                if row["ref"] in rights:
                    row["shares"] = draw(st.integers(1, 300_000))
        elif kind in ("OPTIONS", "CONVERTIBLE"):
            free = [r for r in refs if r not in granted]
            if not free:
                continue
            ref = draw(st.sampled_from(free))
            granted.append(ref)
            granted_on[ref] = day
            shares = draw(counts)
            row.update(ref=ref, shares=shares, consideration=draw(amounts) // 100,
                       additional_consideration=draw(amounts) if draw(st.booleans()) else shares * draw(per_share),
                       category=draw(st.sampled_from(["", "", "MANAGEMENT", "EXCLUDED"])))
        elif kind in ("AMEND", "EXPIRE"):
            if not granted:
                continue
            row["ref"] = draw(st.sampled_from(granted))
            row["date"] = after_grant(row["ref"])
            if kind == "AMEND":
                how = draw(st.integers(0, 2))            # any amount, a price per share, or nothing more to pay
                row["additional_consideration"] = draw(amounts) if how == 0 else draw(counts) * draw(per_share) if how == 1 else 0
                if draw(st.booleans()):
                    row["shares"] = draw(counts)
        elif kind == "EXERCISE":
            row["shares"] = draw(st.integers(1, 1000))
        elif kind == "OTHER":
            row["price"] = F(draw(st.integers(1, 2000)), 100_000)
            row["note"] = "Board determination"
        rows.append(row)
    return rows


terms = st.builds(
    lambda method, share_adj, price, shares, inc, floor, cap, issued: d1_terms(
        anti_dilution=method, share_adjustment=share_adj, exercise_price=price, warrant_shares=shares,
        price_increment=inc, common_outstanding=10_000_000, fully_diluted=12_000_000, price_floor=floor,
        management_cap=cap, issue_date=issued),
    st.sampled_from(["FULL_RATCHET", "BROAD_WEIGHTED_AVERAGE", "NARROW_WEIGHTED_AVERAGE", "NONE"]),
    st.sampled_from(["NONE", "KEEP_AGGREGATE"]),
    st.integers(1, 5000).map(lambda c: F(c, 100_000)),
    st.integers(1, 500_000).map(F),
    st.sampled_from([None, None, F(1, 10_000)]),
    st.sampled_from([None, None, F(1, 1000), F(1, 200)]),       # Price Floor
    st.sampled_from([F(1, 10), F(1, 10), None]),                 # Management Cap
    st.sampled_from(ISSUE_DATES),
)


def events(rows):
    return parse_events(rows)
