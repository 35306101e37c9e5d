#!/usr/bin/env python3
"""Counts of the shipped catalogue: per fact field, per theme, per commune.
Usage: python3 docs/catalogue_stats.py [seeds/initiatives.csv]"""
import csv, sys, collections
path = sys.argv[1] if len(sys.argv) > 1 else "seeds/initiatives.csv"
rows = list(csv.DictReader(open(path, encoding="utf-8")))
listed = [r for r in rows if r.get("status") != "inactif"]
print(f"rows: {len(rows)}  listed (not inactif): {len(listed)}")
print("status:", dict(collections.Counter(r.get("status") or "actif" for r in rows)))
print("fields (all rows / listed rows):")
for f in ["address", "phone", "email", "opening_hours", "website", "updated", "sources"]:
    if f not in rows[0]:
        print(f"  {f:14} (no column)"); continue
    print(f"  {f:14} {sum(1 for r in rows if r[f].strip()):4} / {sum(1 for r in listed if r[f].strip()):4}")
print("themes (listed rows):")
c = collections.Counter(t for r in listed for t in r["themes"].split("|") if t)
for t, n in sorted(c.items()): print(f"  {t:20} {n}")
print("communes (listed rows):")
communes = [l.split(",")[1] for l in open("seeds/communes.csv", encoding="utf-8").read().splitlines()[1:]]
c = collections.Counter(r["commune"] for r in listed)
for name in sorted(communes): print(f"  {name:28} {c.get(name, 0)}")
print(f"  {'(none: online / département-wide)':28} {c.get('', 0)}")
unknown = [k for k in c if k and k not in communes]
if unknown: print("  unknown commune names:", unknown)
print("communes with no listed entry:", [n for n in communes if c.get(n, 0) == 0])
