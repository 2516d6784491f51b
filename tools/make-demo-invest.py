#!/usr/bin/env python3
"""Writes data/demo/invest-projects.csv: a SYNTHETIC investment pipeline shaped
like the published one (45 joint Kazakhstan-China projects worth US$ 14.5 bn),
with Hong Kong, Macao and mainland investors, many of them through Xinjiang
channels. Every name, amount and date is invented; the amounts sum exactly to
US$ 14,500,000,000.00. Two construction contracts follow, kept apart (they are
not investment). Deterministic: run it again and the file is the same."""
import csv, os, random

rng = random.Random(20240625)
out = os.path.join(os.path.dirname(__file__), "..", "data", "demo", "invest-projects.csv")
SOURCE = "synthetic investment pipeline"

investors = [  # (name, origin, channel)
    ("Victoria Harbour Infrastructure (synthetic)", "HKG", "Urumqi Silk Road Holdings (synthetic)"),
    ("Kowloon Logistics Group (synthetic)", "HKG", "Khorgos Gateway Co. (synthetic)"),
    ("Pearl Delta Energy (synthetic)", "HKG", "Xinjiang Tianshan Energy (synthetic)"),
    ("Lantau Agri Holdings (synthetic)", "HKG", "Xinjiang Agricultural Trade Co. (synthetic)"),
    ("Cotai Resorts International (synthetic)", "MAC", "Urumqi Silk Road Holdings (synthetic)"),
    ("Macau Lusophone Capital (synthetic)", "MAC", "Kashgar Investment Co. (synthetic)"),
    ("Taipa Green Materials (synthetic)", "MAC", ""),
    ("Xinjiang Western Mining (synthetic)", "CHN", ""),
    ("Shaanxi Rail Equipment (synthetic)", "CHN", "Khorgos Gateway Co. (synthetic)"),
    ("Jiangsu Solar Works (synthetic)", "CHN", "Xinjiang Tianshan Energy (synthetic)"),
]
places = {"KZ-75": "Almaty", "KZ-71": "Astana", "KZ-19": "Almaty Region", "KZ-10": "Abai Region",
          "KZ-23": "Atyrau Region", "KZ-35": "Karaganda Region", "KZ-55": "Pavlodar Region",
          "KZ-61": "Turkistan Region", "KZ-63": "East Kazakhstan", "KZ-79": "Shymkent",
          "KZ-33": "Jetisu Region"}
regions = list(places)
sectors = [("A", "grain and oilseed processing"), ("B", "copper and rare metals"),
           ("C", "building materials"), ("C", "agricultural machinery"), ("D", "wind and solar"),
           ("H", "dry port and warehousing"), ("H", "rail freight terminal"),
           ("I", "hotels and resorts"), ("J", "data centre"), ("K", "leasing")]
kinds = ["greenfield"] * 5 + ["joint-venture"] * 4 + ["acquisition"]
paths = [  # the stages each project went through, oldest first
    ["idea", "announced"], ["announced"], ["announced", "signed"],
    ["idea", "announced", "signed"], ["announced", "signed", "construction"],
    ["signed", "construction"], ["announced", "signed", "construction", "commissioned"],
    ["signed", "construction", "commissioned"], ["announced", "stalled"],
    ["announced", "signed", "stalled"], ["announced", "cancelled"]]

N, TOTAL = 45, 1_450_000_000_000  # cents
weights = [rng.uniform(0.2, 3.0) for _ in range(N)]
cents = [int(TOTAL * w / sum(weights)) // 100_000_000 * 100_000_000 for w in weights]
cents[0] += TOTAL - sum(cents)  # the largest rounding goes to the first project
rows = []
for i in range(N):
    inv, origin, channel = investors[i % len(investors)]
    sector, what = sectors[rng.randrange(len(sectors))]
    path = paths[rng.randrange(len(paths))]
    year = rng.randrange(2019, 2024)
    day = rng.randrange(0, 300)
    dates, d = [], (year, 1 + day // 28 % 12, 1 + day % 28)
    for _ in path:
        dates.append("%04d-%02d-%02d" % d)
        y, m, dd = d
        m += rng.randrange(2, 10)
        y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
        d = (y, m, dd)
    history = ";".join(f"{s}:{t}" for s, t in zip(path[:-1], dates[:-1]))
    rows.append({
        "code": "KZ-JP-%02d" % (i + 1),
        "title": f"{what.capitalize()}, {places[regions[i % len(regions)]]} (synthetic)",
        "investor": inv, "origin": origin, "channel": channel, "counterpart": "",
        "host": "KAZ", "region": regions[i % len(regions)], "sector": sector,
        "subsector": what, "kind": kinds[i % len(kinds)], "year": dates[0][:4],
        "amount": "", "currency": "",
        "amount_usd": "%d.%02d" % divmod(cents[i], 100),
        "share": "", "jobs": str(rng.randrange(40, 2400) // 10 * 10),
        "history": history, "stage": path[-1], "stage_date": dates[-1],
        "source": SOURCE, "note": "SYNTHETIC demo project"})
for k, (title, inv, amount, year) in enumerate([
        ("Rail section construction contract (synthetic)", "Shaanxi Rail Equipment (synthetic)",
         "420000000.00", "2023"),
        ("Substation construction contract (synthetic)", "Jiangsu Solar Works (synthetic)",
         "95000000.00", "2024")]):
    rows.append({"code": "KZ-CC-%02d" % (k + 1), "title": title, "investor": inv,
                 "origin": "CHN", "channel": "", "counterpart": "", "host": "KAZ",
                 "region": "KZ-10", "sector": "F", "subsector": "contract",
                 "kind": "construction", "year": year, "amount": "", "currency": "",
                 "amount_usd": amount, "share": "", "jobs": "", "history": "",
                 "stage": "signed", "stage_date": year + "-06-01", "source": SOURCE,
                 "note": "SYNTHETIC demo contract, not investment"})
assert max(r["stage_date"] for r in rows) < "2026-11-01"
assert sum(int(r["amount_usd"].replace(".", "")) for r in rows[:N]) == TOTAL
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
