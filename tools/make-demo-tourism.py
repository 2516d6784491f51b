#!/usr/bin/env python3
"""Writes data/demo/tourism-flows.csv: the published tourism figures, and
SYNTHETIC months around them, deterministic.

Published (as whole-year rows): Chinese visitors to Kazakhstan, 367,000 in
2023 and 655,000 in 2024. SYNTHETIC: every monthly row. Chinese visitors'
months of 2023 and 2024 are a seasonal profile with a rising trend, scaled
to sum exactly to the published year; 2022 and the first half of 2025, and
every month of Kazakh visitors to China, rest on stated assumptions. Nur
Zholy rows split the published crossings at Nur Zholy (445,000 in 2023,
837,000 in 2024) between the two directions (ASSUMPTION: 55% Chinese
visitors) and the months. The trends and the assumed Kazakh totals are
chosen so that the months from 10 November 2023 (21 of November's 30 days)
to the end of March 2024 come near the published first months of the
visa-free regime: 126,000 Chinese visitors to Kazakhstan (125,765 here) and
173,000 Kazakhs to China (173,150 here).
"""
import csv
import sys

SEASON = [5, 5, 6, 7, 9, 10, 12, 12, 10, 9, 7, 8]  # percent of a year, Jan..Dec


def spread(total, weights):
    """Whole numbers in proportion to weights summing exactly to total
    (largest remainders)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(r) for r in raw]
    rest = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[:rest]:
        out[i] += 1
    return out


def trend(year_weight, growth):
    """The season with a rise of growth per month through the year."""
    return [w * (1 + growth * m) for m, w in enumerate(year_weight)]


def main(path):
    rows = []
    pub = "published: Chinese visitors to Kazakhstan in %d (Kazakhstan's tourism statistics as reported)"
    syn_year = ("SYNTHETIC: monthly split (seasonal profile, rising trend) of the published %d "
                "total of Chinese visitors to Kazakhstan")
    rows.append((2023, "", "CHN", "KAZ", "", "all", "all", 367000, pub % 2023))
    rows.append((2024, "", "CHN", "KAZ", "", "all", "all", 655000, pub % 2024))
    cn_kz = {
        2022: (spread(60000, trend(SEASON, 0.00)),
               "SYNTHETIC: ASSUMPTION 60,000 Chinese visitors in 2022 (before China reopened)"),
        2023: (spread(367000, trend(SEASON, 0.06)), syn_year % 2023),
        2024: (spread(655000, trend(SEASON, 0.12)), syn_year % 2024),
    }
    kz_cn = {
        2022: (spread(90000, trend(SEASON, 0.00)),
               "SYNTHETIC: ASSUMPTION 90,000 Kazakh visitors to China in 2022"),
        2023: (spread(350000, trend(SEASON, 0.00)),
               "SYNTHETIC: ASSUMPTION 350,000 Kazakh visitors to China in 2023"),
        2024: (spread(800000, trend(SEASON, 0.00)),
               "SYNTHETIC: ASSUMPTION 800,000 Kazakh visitors to China in 2024"),
    }
    for table, frm, to in ((cn_kz, "CHN", "KAZ"), (kz_cn, "KAZ", "CHN")):
        for year, (months, source) in sorted(table.items()):
            for m, v in enumerate(months, 1):
                rows.append((year, m, frm, to, "", "all", "all", v, source))
        # the first half of 2025: the 2024 months and 20% more (ASSUMPTION)
        for m in range(1, 7):
            rows.append((2025, m, frm, to, "", "all", "all", round(table[2024][0][m - 1] * 1.2),
                         "SYNTHETIC: ASSUMPTION the 2024 month and 20%"))
    for year, total in ((2023, 445000), (2024, 837000)):
        cn = round(total * 0.55)
        for share, frm, to in ((cn, "CHN", "KAZ"), (total - cn, "KAZ", "CHN")):
            src = ("SYNTHETIC: published %d crossings at Nur Zholy in %d, split by ASSUMPTION "
                   "(55%% Chinese visitors) and by month" % (total, year))
            for m, v in enumerate(spread(share, trend(SEASON, 0.04)), 1):
                rows.append((year, m, frm, to, "NURZHOLY", "all", "road", v, src))
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["year", "month", "from", "to", "crossing", "purpose", "mode", "visitors",
                    "source"])
        w.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "data/demo/tourism-flows.csv")
