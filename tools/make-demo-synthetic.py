#!/usr/bin/env python3
"""Writes data/demo/trade-synthetic.csv: SYNTHETIC commodity detail that sums
exactly (to the cent) to the published totals in trade-published.csv, and
illustrative partner totals for Kazakhstan in 2023. Run once by hand; the CSV
is committed. Every row names a synthetic source."""
import csv, sys

HS = "synthetic HS detail"
PARTNERS = "synthetic partners"
bn = lambda x: round(x * 1e9 * 100)  # billions -> cents

kz_x_2023 = {"2709": 2.90, "7403": 3.10, "2601": 0.60, "2844": 2.20, "7202": 1.50,
             "2711": 1.00, "2616": 0.40, "7901": 0.55, "1001": 0.45, "1206": 0.25,
             "1512": 0.30, "1205": 0.20, "0202": 0.05, "1003": 0.15, "2603": 0.60,
             "7601": 0.45}
kz_x_2022 = {"2709": 3.20, "7403": 2.60, "2601": 0.70, "2844": 1.90, "7202": 1.40,
             "2711": 1.10, "2616": 0.35, "7901": 0.50, "1001": 0.30, "1206": 0.20,
             "1512": 0.25, "1205": 0.15, "1003": 0.10, "2603": 0.45}
kz_m_2023 = {"8471": 1.30, "8517": 1.60, "8703": 2.40, "8704": 1.10, "8429": 0.90,
             "8544": 0.60, "7308": 0.70, "3926": 0.40, "6402": 0.50, "6110": 0.45,
             "8418": 0.35, "8708": 0.80, "7306": 0.55, "8450": 0.25, "8711": 0.30,
             "9403": 0.50, "8528": 0.40, "8502": 0.35, "8413": 0.45, "8481": 0.40,
             "7208": 0.60, "8716": 0.50, "4011": 0.45, "8501": 0.35, "6204": 0.50}
kz_m_2022 = {"8471": 1.00, "8517": 1.20, "8703": 0.90, "8704": 0.80, "8429": 0.70,
             "8544": 0.45, "7308": 0.60, "3926": 0.35, "6402": 0.45, "6110": 0.40,
             "8418": 0.30, "8708": 0.55, "7306": 0.45, "8450": 0.20, "8711": 0.25,
             "9403": 0.40, "8528": 0.35, "8502": 0.30, "8413": 0.30, "8481": 0.25,
             "7208": 0.30, "8716": 0.20, "4011": 0.30}


def scaled(detail, total_bn):
    """Cents per code, proportional to detail, summing exactly to total."""
    total = bn(total_bn)
    base = sum(detail.values())
    out = {k: round(v / base * total) for k, v in detail.items()}
    biggest = max(out, key=out.get)
    out[biggest] += total - sum(out.values())
    return out


rows = []
def add(src, rep, par, year, flow, hs, cents):
    rows.append([src, rep, "", par, year, "", flow, hs, f"{cents // 100}.{cents % 100:02d}", "", "", ""])

for year, flow, detail, total in [(2023, "X", kz_x_2023, 14.7), (2022, "X", kz_x_2022, 13.2),
                                  (2023, "M", kz_m_2023, 16.7), (2022, "M", kz_m_2022, 11.0)]:
    for hs, c in sorted(scaled(detail, total).items()):
        add(HS, "KAZ", "CHN", year, flow, hs, c)
# China's side of 2023, same goods, scaled to GACC's totals
for flow, detail, total in [("X", kz_m_2023, 24.7), ("M", kz_x_2023, 16.3)]:
    for hs, c in sorted(scaled(detail, total).items()):
        add(HS, "CHN", "KAZ", 2023, flow, hs, c)
# Kazakhstan's other partners in 2023 and its world total (illustrative)
for par, x, m in [("RUS", 9.10, 17.90), ("ITA", 14.20, 1.50), ("TUR", 3.90, 2.60),
                  ("NLD", 5.50, 0.80), ("DEU", 1.20, 3.90), ("UZB", 3.00, 1.50),
                  ("KOR", 1.20, 3.40)]:
    add(PARTNERS, "KAZ", par, 2023, "X", "TOTAL", bn(x))
    add(PARTNERS, "KAZ", par, 2023, "M", "TOTAL", bn(m))
add(PARTNERS, "KAZ", "WLD", 2023, "T", "TOTAL", bn(139.8))

w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow("source,reporter,reporter_region,partner,year,month,flow,hs,value_usd,net_kg,qty,qty_unit".split(","))
w.writerows(rows)
