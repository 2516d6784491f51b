#!/usr/bin/env python3
"""Writes data/demo/shipments.csv and data/demo/shipment-events.csv: SYNTHETIC
consignments for 2023-2025 that pass every gate (grain under the wheat
contracts and the 3 Mt framework, beef and poultry from registered plants) and
their lifecycle events. Run once by hand; the CSVs are committed."""
import csv, datetime as dt, random

rnd = random.Random(2024)
SRC = "SYNTHETIC demo data"
ships, events = [], []

def add(ref, exporter, importer, agreement, hs, net_t, usd_t, origin_region, dest_region,
        crossing, mode, plant, docs, date, legs, source=SRC):
    ships.append([ref, exporter, importer, agreement, hs, f"{net_t}", f"{net_t * usd_t:.2f}", "KAZ",
                  origin_region, "CHN", dest_region, crossing, mode, plant, docs, date, source])
    t = dt.datetime.fromisoformat(date + "T06:00")
    for ev, hours, place in legs:
        if ev is None:
            break
        t += dt.timedelta(hours=hours)
        events.append([ref, ev, t.strftime("%Y-%m-%dT%H:%M"), place, ""])

def rail(crossing, kz, cn):
    # departure, then the crossing: queue + clearance + transshipment (1520/1435 mm)
    return [("departed", 0, "origin station"), ("arrived", rnd.randint(30, 60), kz),
            ("cleared", rnd.randint(18, 40), kz), ("transshipped", rnd.randint(8, 20), cn),
            ("crossed", rnd.randint(2, 8), cn), ("delivered", rnd.randint(40, 90), "Urumqi")]

def road(kz, cn):
    return [("departed", 0, "plant"), ("arrived", rnd.randint(4, 10), kz),
            ("cleared", rnd.randint(1, 5), kz), ("crossed", rnd.randint(1, 3), cn),
            ("delivered", rnd.randint(6, 14), "Urumqi")]

FCC, COFCO, SINO = "Food Contract Corporation", "COFCO", "Sinograin"
# wheat contracts 2023: 3 x 25,000 t = the 75,000 t cap
for i, d in enumerate(["2023-08-10", "2023-09-15", "2023-11-05"], 1):
    add(f"W-2023-{i:02d}", FCC, COFCO, "FCC-COFCO-WHEAT", "100199", 25000, 285, "KZ-39", "CN-XJ",
        "ALTYNKOL", "rail", "", "phyto-cert", d, rail("ALTYNKOL", "Altynkol", "Khorgos"))
# 2024: 9 x 95,000 t = 855,000 t of the 1 Mt cap (over 80%)
for i, m in enumerate(range(2, 11), 1):
    x = "DOSTYK-RAIL" if i % 2 else "ALTYNKOL"
    legs = rail(x, "Dostyk" if i % 2 else "Altynkol", "Alashankou" if i % 2 else "Khorgos")
    if i == 9:
        legs = legs[:3]  # the last one is still at the border
    add(f"W-2024-{i:02d}", FCC, COFCO, "FCC-COFCO-WHEAT", "100199", 95000, 250, "KZ-39",
        "CN-XJ", x, "rail", "", "phyto-cert", f"2024-{m:02d}-12", legs)
# 2025: 6 x 100,000 t of the 2 Mt cap
for i, m in enumerate(range(1, 7), 1):
    x = "DOSTYK-RAIL" if i % 2 else "ALTYNKOL"
    add(f"W-2025-{i:02d}", FCC, COFCO, "FCC-COFCO-WHEAT", "100199", 100000, 240, "KZ-11",
        "CN-XJ", x, "rail", "", "phyto-cert", f"2025-{m:02d}-20",
        rail(x, "Dostyk" if i % 2 else "Altynkol", "Alashankou" if i % 2 else "Khorgos"))
# the framework, in force from 2025 (assumed): barley and sunflower seed
for i, (hs, t, p, m) in enumerate([("100390", 50000, 210, 3), ("120600", 30000, 420, 4),
                                   ("100390", 60000, 205, 7)], 1):
    add(f"G-2025-{i:02d}", FCC, SINO, "KZ-CN-GRAIN-3MT", hs, t, p, "KZ-59", "CN-XJ",
        "DOSTYK-RAIL", "rail", "", "phyto-cert", f"2025-{m:02d}-08",
        rail("DOSTYK-RAIL", "Dostyk", "Alashankou"))
# frozen beef by road through Nur Zholy from registered plants in allowed regions
add("B-2024-01", "Kazakh Beef Exporter LLP", "Xinjiang Tianshan Foods Co.", "", "020230", 20,
    5200, "KZ-19", "CN-XJ", "NURZHOLY", "road", "KZ-GACC-0202-001", "vet-cert", "2024-06-25",
    road("Nur Zholy", "Khorgos"), "SYNTHETIC, modelled on the first 20 t batch reported 2024-06-25")
for i, (d, exp, plant, reg) in enumerate([
        ("2024-08-14", "Kazakh Beef Exporter LLP", "KZ-GACC-0202-001", "KZ-19"),
        ("2024-10-02", "Zhetysu Meat Processing LLP", "KZ-GACC-0202-002", "KZ-33"),
        ("2024-12-11", "Kazakh Beef Exporter LLP", "KZ-GACC-0202-001", "KZ-19"),
        ("2025-02-19", "Zhetysu Meat Processing LLP", "KZ-GACC-0202-002", "KZ-33"),
        ("2025-05-06", "Kazakh Beef Exporter LLP", "KZ-GACC-0202-001", "KZ-19")], 2):
    add(f"B-{d[:4]}-{i:02d}", exp, "Xinjiang Tianshan Foods Co.", "", "020230",
        rnd.choice([40, 60, 80, 120]), 5100, reg, "CN-XJ", "NURZHOLY", "road", plant, "vet-cert",
        d, road("Nur Zholy", "Khorgos"))
# poultry after the 2024 lifting
add("P-2024-01", "Almaty Poultry LLP", "Xinjiang Tianshan Foods Co.", "", "020714", 60, 2300,
    "KZ-19", "CN-XJ", "NURZHOLY", "road", "KZ-GACC-0207-001", "vet-cert", "2024-09-03",
    road("Nur Zholy", "Khorgos"))

with open("data/demo/shipments.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow("reference,exporter,importer,agreement,hs,net_t,value_usd,origin,origin_region,"
               "dest,dest_region,crossing,mode,plant,documents,date,source".split(","))
    w.writerows(ships)
with open("data/demo/shipment-events.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["reference", "event", "at", "place", "note"])
    w.writerows(events)
