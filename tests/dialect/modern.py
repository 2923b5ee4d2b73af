"""Dialect check: runs every SQL statement Parcours sends (from `parcours sql-catalog`)
on a modern ClickHouse engine, in-process through chDB, with a little sample data so
the queries exercise their data paths. The integration tests run the same statements
on ClickHouse 18.16; together they keep the SQL portable.

Usage: python tests/dialect/modern.py CATALOG.jsonl
"""

import json
import sys
import tempfile

from chdb import session

SAMPLE_EVENTS = """
INSERT INTO events (site_id, timestamp, timestamp_ms, visitor_id, name, hostname, pathname, channel)
VALUES
  (7, '2026-11-23 08:00:00', 0, 11, 'pageview', 'c.fr', '/a', 'Direct'),
  (7, '2026-11-23 08:01:00', 0, 11, 'pageview', 'c.fr', '/b', 'Direct'),
  (7, '2026-11-23 09:00:00', 0, 11, 'pageview', 'c.fr', '/a', 'Direct'),
  (7, '2026-11-23 08:00:00', 0, 12, 'pageview', 'c.fr', '/a', 'Email'),
  (7, '2026-11-23 08:00:01', 0, 12, 'Booking', 'c.fr', '/a', 'Email')
"""

# Expected first lines of a few query results (CSV), to catch silent semantic drift.
# The totals row is: key, visitors, visits, pageviews, events, bounces, ...; the same
# from a built day and from the open tail.
EXPECTED = {
    "stats::totals(built)": '"",2,3,4,5,',
    "stats::totals(rolled)": '"",2,3,4,5,',
    "stats::totals(tail)": '"",2,3,4,5,',
    "stats::totals(open)": '"",2,3,4,5,',
    # At 09:04: the 09:00 pageview in both windows, and the latest event.
    "install::counts": "1,1,1,1795424400",
    "install::latest": "1795424400",
}
PAGES = ['"/a",2,3,3,3,', '"/b",1,1,1,1,']
# One piece of a summed stored answer, as `answers` reads it (group, figures, histogram).
FUNNEL_SUMMED = [
    '"[\'\x1f\']","[]","[2,1,0]","[8589934652]","[1]"',
    '"[\'Direct\']","[]","[1,1,0]","[8589934652]","[1]"',
    '"[\'Email\']","[]","[1,0,0]","[]","[]"',
]
STATS_SUMMED = [
    '"[\'/a\']","[]","[1,2,2,2,1,60000,3,60000,1]","[]","[]"',
    '"[\'/b\']","[]","[1,1,1,1,0,60000,2,0,0]","[]","[]"',
]
PATHS_SUMMED = ['"[]","[\'A pages\',\'Booked\']","[1]","[1]","[1]"']
PATHS_NOT_FOLLOWED = ['"[]","[\'/a/**\',\'/b\',\'(exit)\']","[1]","[60]","[1]"']
ATTRIBUTION_SUMMED = ['"[\'Direct\']","[]","[1,0]","[]","[]"', '"[\'Email\']","[]","[1,1]","[]","[]"']
# Whole answers, as sorted CSV lines (journey shapes in the stored columns of `answers`:
# group, figures, histogram), where the same answer is expected on 18.16 (the
# funnel's total row has the key U+001F).
EXACT = {
    # Step times as a histogram keyed step * 2^32 + whole seconds: 2 * 2^32 + 60.
    "funnel::breakdown(built)": [
        '"[\'\x1f\']","[]","[2,1,0]","[8589934652]","[1]"',
        '"[\'Direct\']","[]","[1,1,0]","[8589934652]","[1]"',
        '"[\'Email\']","[]","[1,0,0]","[]","[]"',
    ],
    # A stored day (the fill above, of the built day) and the same day live from the
    # tail: the same figures from both pieces, which `answers` sums. The sample has no
    # consented visitor, so nothing is subtracted.
    "answers::summed(funnel) stored": FUNNEL_SUMMED,
    "answers::summed(funnel) subtracted": [],
    "answers::summed(funnel) live": FUNNEL_SUMMED,
    "answers::summed(stats) stored": STATS_SUMMED,
    "answers::summed(stats) live": STATS_SUMMED,
    "answers::summed(paths) stored": PATHS_SUMMED,
    "answers::summed(paths) subtracted": [],
    "answers::summed(paths) live": PATHS_SUMMED,
    "answers::summed(attribution) stored": ATTRIBUTION_SUMMED,
    "answers::summed(attribution) subtracted": [],
    "answers::summed(attribution) live": ATTRIBUTION_SUMMED,
    "attribution::first_touch(built)": ATTRIBUTION_SUMMED,
    "attribution::last_touch(built)": ATTRIBUTION_SUMMED,
    # Visitor 11 (Direct): /a twice in two visits (the second a bounce), /b once; 60 s
    # from the first /a to /b.
    "stats::filtered(built)": ['"/a",1,2,2,2,1,60000,3,60000,1', '"/b",1,1,1,1,0,60000,2,0,0'],
    "stats::filtered(tail)": ['"/a",1,2,2,2,1,60000,3,60000,1', '"/b",1,1,1,1,0,60000,2,0,0'],
    # Folding the hidden /b reads only the rows holding it (visitor 11's): (other) is
    # /b's row exactly; the other keys are partial and unused.
    "stats::fold_hidden(built)": ['"(other)",1,1,1,1,0,60000,2,0,0', '"/a",1,2,2,2,1,60000,3,60000,1'],
    "paths::to(built)": ['"[]","[\'A pages\',\'Booked\']","[1]","[1]","[1]"'],
    # Paths from and flows around an anchor start with its label (the step's page
    # pattern here), whatever the anchor event's own node.
    "paths::flows(tail)": [
        '"[\'(entrance)\']","[\'/a/**\',\'/b\',\'(exit)\']","[1]","[]","[]"',
        '"[\'(entrance)\']","[\'/a/**\',\'Booked\',\'(exit)\']","[1]","[]","[]"',
    ],
    # Durations as a histogram in whole seconds: 60 s and 1 s, one visitor each.
    "paths::from(built)": [
        '"[]","[\'/a/**\',\'/b\',\'(exit)\']","[1]","[60]","[1]"',
        '"[]","[\'/a/**\',\'Booked\',\'(exit)\']","[1]","[1]","[1]"',
    ],
    "paths::flows(built)": [
        '"[\'(entrance)\']","[\'/a/**\',\'/b\',\'(exit)\']","[1]","[]","[]"',
        '"[\'(entrance)\']","[\'/a/**\',\'Booked\',\'(exit)\']","[1]","[]","[]"',
    ],
    # Visitor 12's Booking event (the goal Booked's, so its node is Booked): nothing
    # after it, "A pages" before it. With props it matches nothing (the sample has none).
    "paths::from(event, tail)": ['"[]","[\'Booking\',\'(exit)\']","[1]","[0]","[1]"'],
    "paths::from(event props, built)": [],
    # The drop-off of /a/** before the Booking event: visitor 12 reached it, 11 did not.
    # With props (the sample has none) nobody reaches it.
    "paths::from(not followed, built)": ['"[]","[\'/a/**\',\'/b\',\'(exit)\']","[1]","[60]","[1]"'],
    "paths::from(not followed props, tail)": [
        '"[]","[\'/a/**\',\'/b\',\'(exit)\']","[1]","[60]","[1]"',
        '"[]","[\'/a/**\',\'Booked\',\'(exit)\']","[1]","[1]","[1]"',
    ],
    "answers::summed(paths not followed) stored": PATHS_NOT_FOLLOWED,
    "answers::summed(paths not followed) subtracted": [],
    "answers::summed(paths not followed) live": PATHS_NOT_FOLLOWED,
    "paths::flows(goal, built)": ['"[\'A pages\',\'(entrance)\']","[\'Booked\',\'(exit)\']","[1]","[]","[]"'],
}


def main() -> int:
    entries = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
    sess = session.Session(tempfile.mkdtemp(prefix="parcours-chdb-"))
    sess.query("CREATE DATABASE IF NOT EXISTS parcours_dialect")
    sess.query("USE parcours_dialect")
    version = str(sess.query("SELECT version()", "CSV")).strip()
    passed, failed = 0, 0
    seeded = False
    for entry in entries:
        name, sql = entry["name"], entry["sql"]
        if not seeded and not sql.lstrip().upper().startswith("CREATE"):
            sess.query(SAMPLE_EVENTS)
            seeded = True
        try:
            out = str(sess.query(sql, "CSV")).strip()
        except Exception as exc:  # chDB raises its own error type per failure
            failed += 1
            print(f"FAIL {name}: {str(exc)[:400]}")
            continue
        want = EXPECTED.get(name)
        if want is not None and not out.startswith(want):
            failed += 1
            print(f"FAIL {name}: expected {want!r}, got {out[:200]!r}")
            continue
        exact = EXACT.get(name)
        if exact is not None and sorted(out.splitlines()) != exact:
            failed += 1
            print(f"FAIL {name}: expected {exact!r}, got {sorted(out.splitlines())!r}")
            continue
        if name.startswith("stats::pages") and [l[: len(p)] for l, p in zip(sorted(out.splitlines()), PAGES)] != PAGES:
            failed += 1
            print(f"FAIL {name}: got {out!r}")
            continue
        passed += 1
    print(f"dialect check on ClickHouse {version} (chDB): {len(entries)} statements")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
