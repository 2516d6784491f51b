"""pandas peer for `make bench`: read_csv of the generated UN Comtrade file,
then the same totals and goods aggregates as corridor, with groupby.
Run with Debian's /usr/bin/python3 (python3-pandas).
Usage: pandas_trade.py FILE.csv YEAR"""
import json, sys, time
import pandas as pd

path, year = sys.argv[1], int(sys.argv[2])
t0 = time.perf_counter()
df = pd.read_csv(path)
load = time.perf_counter() - t0

def plain(d):
    return d[(d.partner2Code == 0) & (d.customsCode == "C00") & (d.motCode == 0) & (d.mosCode == 0)]

def totals():
    d = df[(df.reporterISO == "KAZ") & (df.partnerISO == "CHN") & (df.cmdCode == "TOTAL")]
    return plain(d).groupby(["refYear", "flowCode"]).primaryValue.sum()

def goods():
    d = df[(df.reporterISO == "KAZ") & (df.partnerISO == "CHN") & (df.flowCode == "X")
           & (df.cmdCode != "TOTAL") & df.refYear.isin([year - 1, year])]
    d = plain(d)
    return d.groupby([d.refYear, d.cmdCode.str[:2]]).primaryValue.sum()

def median(f, runs=5):
    ts = []
    for _ in range(runs):
        s = time.perf_counter(); r = f(); ts.append(time.perf_counter() - s)
    ts.sort()
    return ts[len(ts) // 2], r

tt, tot = median(totals)
gt, gd = median(goods)
print(json.dumps({"load_s": load, "totals_s": tt, "goods_s": gt,
                  "check_totals_x": "%.2f" % tot.get((year, "X"), float("nan"))}))
