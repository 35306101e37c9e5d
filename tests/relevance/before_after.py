#!/usr/bin/env python3
# Usage: python3 tests/relevance/before_after.py tests/relevance/visitor_queries.tsv OLD_WIC NEW_WIC [N]
# Prints a Markdown table of the top result of N queries of the TSV under each binary
# (each with its own fresh data directory). Used for the closing note of #12.
"""Top result before vs after #12 for queries of the visitor TSV (N rows spread over the file, 30 by default)."""
import json, subprocess, sys, tempfile, os
tsv = sys.argv[1]; before = sys.argv[2]; after = sys.argv[3]
n = int(sys.argv[4]) if len(sys.argv) > 4 else 30
rows = [l.rstrip('\n').split('\t') for l in open(tsv, encoding='utf-8').read().splitlines()[1:] if l.strip() and not l.startswith('#')]
# spread the sample over the file
step = max(1, len(rows) // n)
rows = rows[::step][:n]
def top(exe, data, q):
    r = subprocess.run([exe, '--data-dir', data, 'search', q, '--json', '--limit', '1'], capture_output=True, text=True)
    try:
        a = json.loads(r.stdout)
        return a[0]['id'] if a else '—'
    except Exception:
        return 'error'
db = tempfile.mkdtemp(); da = tempfile.mkdtemp()
print('| query | expect | before | after |')
print('|---|---|---|---|')
for r in rows:
    q, e = r[0], r[1]
    print(f'| {q} | {e} | {top(before, db, q)} | {top(after, da, q)} |')
